/**
 * The tags every taggable resource carries (see DESIGN.md, "Tags").
 */
export interface TagContext {
    /** The application name, e.g. the Pulumi project. */
    app: string;
    /** The stage, e.g. the Pulumi stack (`dev`, `staging`, `prod`). */
    stage: string;
}

/** The standard webstack tags for one component, merged over user tags. */
export function standardTags(
    context: TagContext,
    component: string,
    userTags: Record<string, string> = {},
): Record<string, string> {
    return {
        ...userTags,
        app: context.app,
        stage: context.stage,
        component,
        "managed-by": "pulumi",
    };
}
