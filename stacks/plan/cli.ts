/**
 * `npm run plan -- <stage> [--json] [--policy] [--cost] [--diagram file] [--config key=value ...]`
 * `npm run plan -- --compare <stage-a> <stage-b> [--config…]`
 *
 * Shows what a stage would create, offline: the program runs under the
 * webstack harness with the stage's real Pulumi.<stage>.yaml.
 * Exit codes: 0 planned, 1 invalid configuration or (with --policy) a
 * mandatory checklist row broken, 2 usage error.
 */
import { ConfigError } from "../../components/internal/errors";
import { planStage } from "./plan-document";
import { checklistReport, renderChecklist } from "./render-checklist";
import { renderTree } from "./render-tree";
import { runCompare } from "./compare/compare-cli";
import { costReport } from "./cost/cost-report";
import { checkDiagramFile, writeDiagram } from "./diagram/write-diagram";
import { listStages } from "./stage-file";
import { REPO_ROOT } from "./plan-document";

const USAGE = `Usage: npm run plan -- <stage> [--json] [--policy] [--cost] [--diagram file.svg|file.md] [--config key=value]...
       npm run plan -- --compare <stage-a> <stage-b> [--json] [--config k=v] [--config-a k=v] [--config-b k=v]...
  <stage>            one of: ${listStages(REPO_ROOT).join(", ")}
  --json             print one JSON document instead of the tree
  --policy           evaluate the production checklist (docs/production-checklist.md); exit 1 on a mandatory violation
  --cost             the monthly cost of each resource that costs money and the stage total (stacks/plan/cost/prices.ts)
  --diagram file     draw the stage: .svg (Graphviz) or .md (Mermaid flowchart)
  --compare a b      what differs between two stages (--config-a/--config-b override one side, --config both)
  --config k=v       override a stage setting (repeatable), e.g. --config webstack:layout=iaas
                     a path into an object setting works too: --config webstack:network.nat=single`;

interface CliArgs {
    stage?: string;
    json: boolean;
    policy: boolean;
    cost: boolean;
    diagram?: string;
    overrides: string[];
}

function parseArgs(argv: string[]): CliArgs {
    const args: CliArgs = { json: false, policy: false, cost: false, overrides: [] };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--json") args.json = true;
        else if (arg === "--policy") args.policy = true;
        else if (arg === "--cost") args.cost = true;
        else if (arg === "--diagram") args.diagram = argv[++i] ?? "";
        else if (arg === "--config" || arg === "-c") args.overrides.push(argv[++i] ?? "");
        else if (arg.startsWith("--config=")) args.overrides.push(arg.slice("--config=".length));
        else if (arg === "--help" || arg === "-h") usage(0);
        else if (arg.startsWith("-")) usage(2, `unknown option ${arg}`);
        else if (args.stage) usage(2, `only one stage at a time (got ${args.stage} and ${arg})`);
        else args.stage = arg;
    }
    return args;
}

function usage(code: number, problem?: string): never {
    if (problem) console.error(`plan: ${problem}\n`);
    (code === 0 ? console.log : console.error)(USAGE);
    process.exit(code);
}

async function main(): Promise<void> {
    if (process.argv.includes("--compare")) return runCompare(process.argv.slice(2), writeOut, usage);
    const args = parseArgs(process.argv.slice(2));
    if (!args.stage) usage(2, "name a stage");
    if (args.diagram !== undefined) checkDiagramFile(args.diagram);
    const plan = await planStage({ stage: args.stage, overrides: args.overrides });
    const report = args.policy ? checklistReport(plan) : undefined;
    const cost = args.cost ? costReport(plan) : undefined;
    if (args.json) await writeOut(`${JSON.stringify({ ...plan, ...(report ? { checklist: report } : {}), ...(cost ? { cost: cost.json } : {}) }, null, 2)}\n`);
    else await writeOut(`${renderTree(plan)}\n${report ? `\n${renderChecklist(plan, report)}\n` : ""}${cost ? `\n${cost.text}\n` : ""}`);
    if (args.diagram !== undefined) console.error(await writeDiagram(plan, args.diagram));
    if (report && report.violations > 0) process.exit(1);
}

/**
 * Resolves once `text` has been handed to the OS. The CLI exits explicitly
 * (the mock runtime keeps handles open), and stdout into a pipe is
 * asynchronous: exiting right after `console.log` cut a plan at the pipe's
 * 64 KiB whenever the reader (`| awscheck.py -`) was slower than the plan.
 */
function writeOut(text: string): Promise<void> {
    return new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}

function fail(error: unknown): never {
    if (error instanceof ConfigError) {
        console.error(`plan: ${error.message}`);
        process.exit(1);
    }
    console.error(error);
    process.exit(1);
}

process.on("unhandledRejection", fail);
main().then(() => process.exit(0), fail);
