/**
 * `npm run diagrams`: redraws docs/diagrams/<stage>.svg for the stages the
 * README shows. tests/stacks/plan-diagram.test.ts fails while a picture
 * differs from what the stage files plan, so run this after changing a
 * stage file or a component, and commit the pictures.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PICTURED_STAGES, picturePath, stagePicture } from "../stacks/plan/diagram/stage-pictures";

async function main(): Promise<void> {
    for (const stage of PICTURED_STAGES) {
        const file = picturePath(stage);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, await stagePicture(stage));
        console.log(`Wrote ${path.relative(process.cwd(), file)}`);
    }
}

// Exit explicitly: the mock runtime the plan runs under keeps handles open.
main().then(
    () => process.exit(0),
    (error: unknown) => {
        console.error(error);
        process.exit(1);
    },
);
