// Integration specs start real servers and tools: give them time (jest's testTimeout is global-only).
import { jest } from '@jest/globals';
jest.setTimeout(60_000);
