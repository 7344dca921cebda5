// Copies the non-TypeScript files the components ship (shell scripts, nginx
// templates) next to the compiled JavaScript, so `dist/components` is complete.
const fs = require("node:fs");
const path = require("node:path");

const source = path.join(__dirname, "..", "components");
const target = path.join(__dirname, "..", "dist", "components");
let copied = 0;
fs.cpSync(source, target, {
    recursive: true,
    filter: (file) => {
        const isAsset = fs.statSync(file).isDirectory() || !file.endsWith(".ts");
        if (isAsset && fs.statSync(file).isFile()) copied++;
        return isAsset;
    },
});
console.log(`copied ${copied} asset file(s) to dist/components`);
