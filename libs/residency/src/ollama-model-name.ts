/**
 * The key Ollama itself compares model names by: `mistral`, `mistral:latest`, `library/mistral:latest` and
 * `registry.ollama.ai/library/mistral:latest` are one model, names are case-insensitive. `/api/ps` reports
 * `mistral:latest` for a model pulled as `mistral`, so configured names are compared through this.
 */
export function ollamaModelKey(name: string): string {
  let key = name.trim().toLowerCase();
  key = key.replace(/^registry\.ollama\.ai\//, '').replace(/^library\//, '');
  const lastSegment = key.slice(key.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? key : `${key}:latest`;
}
