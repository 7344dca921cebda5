// ESLint flat config: typescript-eslint's recommended rules over all TypeScript sources.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["dist/**", "node_modules/**", "**/*.js", "**/*.mjs", "bench/.out/**"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            // The harness reads Pulumi's untyped engine payloads; `any` is deliberate there.
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            // `export =` is how a Pulumi program hands its outputs to the engine.
            "@typescript-eslint/no-require-imports": "off",
        },
    },
);
