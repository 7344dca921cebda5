import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");
const COMPONENTS = path.join(ROOT, "components");

/**
 * The args type of each component folder. The folder sync engine
 * (static-site/sync) is an API of its own: its texts may also name its
 * options (SyncFolderOptions, checked below).
 */
const ARGS_OF: Record<string, string> = {
    "dns-and-tls": "DnsAndTlsArgs",
    "static-site": "StaticSiteArgs",
    "web-tier": "WebTierArgs",
    "managed-database": "ManagedDatabaseArgs",
};

/**
 * Words in fix texts that look like arg names but are examples or other
 * libraries' names: a file, an instance type, awsx's class, a placeholder
 * variable, AWS's unit, another component's output, a docs page, an app's
 * start file and its package.json script.
 */
const NOT_ARGS = new Set(["package.json", "index.html", "t4g.small", "awsx.ec2.Vpc", "webServers.id", "vCPU", "web.apiOrigin", "database.md", "server.js", "scripts.start", "db.passwordSecretArn"]);

/** Every property path of `type` (`app`, `app.port`, ...), through optional and union types, stopping at library types. */
function argPaths(checker: ts.TypeChecker, type: ts.Type, prefix: string, depth: number, into: Set<string>): void {
    if (depth > 4) return;
    const element = checker.getIndexTypeOfType(type, ts.IndexKind.Number);
    if (element && checker.getPropertyOfType(type, "length")) {
        argPaths(checker, checker.getNonNullableType(element), prefix, depth + 1, into); // a list: its items' paths
        return;
    }
    const members = type.isUnion() ? type.types : [type];
    for (const member of members) {
        const declaration = member.getSymbol()?.declarations?.[0];
        if (declaration && declaration.getSourceFile().fileName.includes("node_modules")) continue;
        for (const property of checker.getPropertiesOfType(member)) {
            const name = prefix ? `${prefix}.${property.name}` : property.name;
            into.add(name);
            const propertyType = checker.getNonNullableType(checker.getTypeOfSymbol(property));
            if (propertyType.flags & ts.TypeFlags.Object || propertyType.isUnion()) argPaths(checker, propertyType, name, depth + 1, into);
        }
    }
}

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return entry.name === "testing" ? [] : sourceFiles(full);
        return entry.name.endsWith(".ts") ? [full] : [];
    });
}

/** The literal text of a fix expression (template holes left out: they are values, not names). */
function literalText(node: ts.Node): string {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(" ");
    return "";
}

/** The fix texts of a file: `invalid(setting, value, problem, fix)` calls and `fix:` properties. */
function fixTexts(file: ts.SourceFile): string[] {
    const texts: string[] = [];
    const visit = (node: ts.Node) => {
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "invalid" && node.arguments.length >= 4) {
            texts.push(literalText(node.arguments[3]));
        }
        if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === "fix") texts.push(literalText(node.initializer));
        ts.forEachChild(node, visit);
    };
    visit(file);
    return texts.filter(Boolean);
}

/** Names in a text: dotted paths (`app.port`) and camelCase words (`createZone`), not domain names. */
function namesIn(text: string): string[] {
    return (text.match(/\b[a-z][a-zA-Z0-9]*(?:\.[a-zA-Z][a-zA-Z0-9]*)+\b|\b[a-z]+[A-Z][a-zA-Z0-9]*\b/g) ?? []).filter(
        (name) => !NOT_ARGS.has(name) && !/\.(com|org|net|aws)$/.test(name) && name !== "e.g",
    );
}

describe("every arg a component's fix text names exists in that component's args", function () {
    this.timeout(120_000);
    const program = ts.createProgram([path.join(COMPONENTS, "index.ts")], { strict: true, skipLibCheck: true, noEmit: true });
    const checker = program.getTypeChecker();
    const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(path.join(COMPONENTS, "index.ts"))!)!);
    const paths: Record<string, Set<string>> = {};
    for (const [folder, typeName] of Object.entries(ARGS_OF)) {
        const symbol = exports.find((e) => e.name === typeName);
        assert.ok(symbol, `${typeName} is exported`);
        const aliased = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        paths[folder] = new Set();
        argPaths(checker, checker.getDeclaredTypeOfSymbol(aliased), "", 0, paths[folder]);
    }

    const syncOptions = new Set<string>();
    const syncModule = program.getSourceFile(path.join(COMPONENTS, "static-site", "sync", "sync-options.ts"));
    const syncSymbol = syncModule && checker.getExportsOfModule(checker.getSymbolAtLocation(syncModule)!).find((e) => e.name === "SyncFolderOptions");
    if (syncSymbol) argPaths(checker, checker.getDeclaredTypeOfSymbol(syncSymbol), "", 0, syncOptions);

    it("reads the args' paths, nested ones included", () => {
        assert.ok(syncOptions.has("allowEmpty"), "the sync engine's options are read");
        for (const [folder, name] of [["web-tier", "app.port"], ["dns-and-tls", "certificates.cloudFront"], ["managed-database", "subnetIds"], ["static-site", "notFoundPage"], ["static-site", "cacheRules.cacheControl"]]) {
            assert.ok(paths[folder].has(name), `${folder}: ${name}`);
        }
    });

    for (const folder of Object.keys(ARGS_OF)) {
        it(`${folder}: fix texts name only its args`, () => {
            const known = new Set([...paths[folder], ...[...paths[folder]].map((p) => p.split(".").pop()!)]);
            const unknown: string[] = [];
            for (const file of sourceFiles(path.join(COMPONENTS, folder))) {
                const names = file.includes(`${path.sep}sync${path.sep}`) ? new Set([...known, ...syncOptions]) : known;
                const source = program.getSourceFile(file) ?? ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
                for (const text of fixTexts(source)) {
                    for (const name of namesIn(text)) if (!names.has(name)) unknown.push(`${path.relative(ROOT, file)}: ${name} in "${text}"`);
                }
            }
            assert.deepEqual(unknown, []);
        });
    }
});
