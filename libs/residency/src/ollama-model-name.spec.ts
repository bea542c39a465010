import { describe, expect, it } from '@jest/globals';
import { ollamaModelKey } from './ollama-model-name.js';

describe('ollamaModelKey', () => {
  it('gives an untagged name the latest tag, as /api/ps reports it', () => {
    expect(ollamaModelKey('mistral')).toBe('mistral:latest');
    expect(ollamaModelKey('mistral:latest')).toBe('mistral:latest');
  });

  it('keeps an explicit tag', () => {
    expect(ollamaModelKey('llama3:8b-instruct-q4_K_M')).toBe('llama3:8b-instruct-q4_k_m');
  });

  it('drops the default registry and library namespace', () => {
    expect(ollamaModelKey('registry.ollama.ai/library/mistral:7b')).toBe('mistral:7b');
    expect(ollamaModelKey('library/mistral')).toBe('mistral:latest');
  });

  it('keeps other namespaces and registries, and does not mistake a registry port for a tag', () => {
    expect(ollamaModelKey('someone/tinyllama')).toBe('someone/tinyllama:latest');
    expect(ollamaModelKey('localhost:5000/team/model')).toBe('localhost:5000/team/model:latest');
  });
});
