// Copies the non-TypeScript files the components ship (shell scripts, nginx
// templates) next to the compiled JavaScript, so `dist/components` is complete.
import * as fs from "node:fs";
import * as path from "node:path";

const source = path.join(__dirname, "..", "components");
const target = path.join(__dirname, "..", "dist", "components");
let copied = 0;
fs.cpSync(source, target, {
    recursive: true,
    filter: (file) => {
        const stat = fs.statSync(file);
        if (stat.isDirectory()) return true;
        if (file.endsWith(".ts")) return false;
        copied++;
        return true;
    },
});
console.log(`copied ${copied} asset file(s) to dist/components`);
