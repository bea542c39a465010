import { BucketNames } from '@introeval/nats';
import { connect } from '@nats-io/transport-node';
import { Objm } from '@nats-io/obj';
import {
  emptyFile,
  INTRO_SCRIPTS,
  largeFile,
  mp4FromWav,
  randomBytes,
  silentMp4,
  speechWav,
  textFileNamedMp4,
  tooLongMp4,
  tooShortMp4,
  truncatedMp4,
  videoWithoutAudio,
  type NatsServerHandle,
  type SystemHandle,
} from '@introeval/testing';
import { useSystem } from './environment.js';
import { postFile, runCli, waitForEnd } from './support.js';

const MAX_BYTES = 4 * 1024 * 1024;

describe('bad media gets a code that names the problem, and nothing else breaks', () => {
  const env = useSystem({ MEDIA_MAX_BYTES: String(MAX_BYTES) });
  let nats: NatsServerHandle;
  let system: SystemHandle;
  let dir: string;
  let speech: string;

  beforeAll(async () => {
    ({ nats, system, dir } = env);
    speech = await speechWav(INTRO_SCRIPTS[0], 'slt', dir);
  });

  it('fails each bad file with its own code and a message for the student', async () => {
    const cases: Array<[string, Promise<string>]> = [
      ['MEDIA_EMPTY', emptyFile(dir)],
      ['MEDIA_UNREADABLE', randomBytes(dir)],
      ['MEDIA_UNREADABLE', textFileNamedMp4(dir)],
      ['MEDIA_NO_AUDIO', videoWithoutAudio(dir)],
      ['MEDIA_TRUNCATED', truncatedMp4(speech, dir)],
      ['MEDIA_SILENT', silentMp4(dir)],
      ['MEDIA_TOO_SHORT', tooShortMp4(dir)],
      ['MEDIA_TOO_LONG', tooLongMp4(dir)],
    ];
    const outcomes = await Promise.all(
      cases.map(async ([expected, file]) => {
        const { status, body } = await postFile(system.url, await file);
        expect(status).toBe(202);
        const result = await waitForEnd(system.url, body);
        return { expected, result };
      }),
    );
    for (const { expected, result } of outcomes) {
      expect({ code: result.error?.code, status: result.status }).toEqual({ code: expected, status: 'failed' });
      expect(result.error!.message.length).toBeGreaterThan(20);
      expect(result.stage).toBe('upload');
    }
  });

  it('answers 413 for a file over the limit, stores none of it, and the CLI exits 2 with the code', async () => {
    const nc = await connect({ servers: nats.url });
    const media = await new Objm(nc).open(BucketNames.media);
    const objectsBefore = (await media.list()).length;

    const big = await largeFile(MAX_BYTES + 1024 * 1024, dir);
    const { status, body } = await postFile(system.url, big);
    expect(status).toBe(413);
    expect(body.error.code).toBe('MEDIA_TOO_LARGE');

    const cli = await runCli(['submit', big, '--json', '--wait'], { XDG_CONFIG_HOME: dir, INTROEVAL_URL: system.url });
    expect(cli.code).toBe(2);
    expect(JSON.parse(cli.stdout).error.code).toBe('MEDIA_TOO_LARGE');

    expect((await media.list()).length).toBe(objectsBefore);
    await nc.close();
  });

  it('still evaluates a good file submitted right after', async () => {
    const { status, body } = await postFile(system.url, await mp4FromWav(speech, dir));
    expect(status).toBe(202);
    const result = await waitForEnd(system.url, body);
    expect(result.error).toBeNull();
    expect(result.status).toBe('completed');
  });
});
