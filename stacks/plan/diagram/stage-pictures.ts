import * as path from "node:path";
import { planStage, REPO_ROOT } from "../plan-document";
import { buildStageGraph } from "./stage-graph";
import { renderSvg } from "./svg";

/** The stages the README shows, as their stage files plan them (no overrides). */
export const PICTURED_STAGES = ["dev", "prod"] as const;

/** Where the README's picture of `stage` lives: docs/diagrams/<stage>.svg. */
export function picturePath(stage: string, rootDir: string = REPO_ROOT): string {
    return path.join(rootDir, "docs", "diagrams", `${stage}.svg`);
}

/** The SVG `npm run plan -- <stage> --diagram x.svg` draws for the stage file as committed. */
export async function stagePicture(stage: string): Promise<string> {
    return renderSvg(buildStageGraph(await planStage({ stage })));
}
