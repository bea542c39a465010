/**
 * class-transformer `@Transform` body for a list of numbers in one variable: `500,2000` -> [500, 2000]. A part that
 * is not a number becomes NaN, so the property's `@IsInt({ each: true })` names the variable; a value that is not a
 * string (a default, or an array from a test) passes as it is.
 */
export function commaSeparatedNumbers({ value }: { value: unknown }): unknown {
  return typeof value === 'string' ? value.split(',').map((part) => Number(part.trim())) : value;
}
