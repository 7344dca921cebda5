import * as fs from "node:fs";
import * as path from "node:path";

/** One fenced ```ts block of a Markdown page. */
export interface DocExample {
    /** e.g. `docs/web-tier.md#1` */
    source: string;
    code: string;
}

/** The ```ts blocks of `README.md` and `docs/*.md` under `packageDir`, in page order. */
export function docExamples(packageDir: string): DocExample[] {
    const docsDir = path.join(packageDir, "docs");
    const pages = ["README.md", ...fs.readdirSync(docsDir).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
    return pages.flatMap((page) => {
        const text = fs.readFileSync(path.join(packageDir, page), "utf8");
        return [...text.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((match, index) => ({ source: `${page}#${index + 1}`, code: match[1] }));
    });
}

/**
 * What the examples take as given: the things a page's prose says exist
 * (a VPC from awsx, subnets and security groups from @pulumi/aws, mocha's
 * `it`), typed as those libraries type them, so an example that compiles
 * here compiles in a real program.
 */
export const EXAMPLE_PRELUDE = `import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
declare global {
    /** An awsx.ec2.Vpc's outputs. */
    const vpc: { vpcId: pulumi.Output<string>; publicSubnetIds: pulumi.Output<string[]>; privateSubnetIds: pulumi.Output<string[]> };
    const privateA: aws.ec2.Subnet;
    const privateB: aws.ec2.Subnet;
    const appServers: aws.ec2.SecurityGroup;
    const workers: aws.ec2.SecurityGroup;
    const webClients: aws.ec2.SecurityGroup;
    function it(title: string, test: () => void | Promise<void>): void;
}
export {};
`;

/** A file name for an example, e.g. `docs-web-tier-1.ts`. */
export function exampleFileName(example: DocExample): string {
    return `${example.source.replace(/\.md#/, "-").replace(/[^a-zA-Z0-9-]/g, "-")}.ts`;
}

/** The example as a module of its own (`export {}`), so two pages may both declare `site`. */
export function exampleModule(example: DocExample): string {
    return `// ${example.source}\n${example.code}\nexport {};\n`;
}
