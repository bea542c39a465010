// End-to-end specs start every service and transcribe real speech.
import { jest } from '@jest/globals';
jest.setTimeout(180_000);
