import * as pulumi from "@pulumi/pulumi";
import { TagContext } from "./tags";

/**
 * The app and stage names a component tags its resources with, unless the
 * caller passes them: the Pulumi project and stack.
 */
export function defaultTagContext(overrides: Partial<TagContext> = {}): TagContext {
    return {
        app: overrides.app ?? pulumi.getProject(),
        stage: overrides.stage ?? pulumi.getStack(),
    };
}
