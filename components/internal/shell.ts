/**
 * The one way webstack puts a value into a shell script it renders: between
 * single quotes, where bash interprets nothing (bash manual, "Single
 * Quotes": "Enclosing characters in single quotes preserves the literal
 * value of each character within the quotes"). A single quote cannot occur
 * inside them, so each embedded `'` closes the quotes, adds an escaped
 * quote and reopens them: `it's` becomes `'it'\''s'`. Newlines, `$(...)`,
 * backticks, `;` and spaces arrive byte-for-byte. A NUL cannot be passed to
 * a shell at all (C strings end there), so it is refused.
 */
export function shellQuote(value: string): string {
    if (value.includes("\0")) throw new Error(`a shell value cannot hold a NUL character: ${JSON.stringify(value)}`);
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Text for a `#` comment line in a rendered script: a newline or carriage
 * return would end the comment and start a command, so every control
 * character is replaced by `?`.
 */
export function shellCommentText(value: string): string {
    // eslint-disable-next-line no-control-regex
    return value.replace(/[\u0000-\u001f\u007f]/g, "?");
}
