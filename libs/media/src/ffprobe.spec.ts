import { parseProbeOutput } from './ffprobe.js';

// Shapes copied from ffprobe 5.1 (`-v error -of json -show_format -show_streams`), trimmed to the fields we read.
const mp4 = {
  streams: [
    { codec_type: 'video', codec_name: 'h264', width: 160, height: 120, duration: '53.733333', disposition: { attached_pic: 0 } },
    { codec_type: 'audio', codec_name: 'aac', sample_rate: '16000', channels: 1, duration: '52.505000' },
  ],
  format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '53.734000' },
};
const recorderWebm = {
  streams: [
    { codec_type: 'video', codec_name: 'vp8', width: 160, height: 120 },
    { codec_type: 'audio', codec_name: 'opus', sample_rate: '48000', channels: 1 },
  ],
  format: { format_name: 'matroska,webm' },
};

describe('parseProbeOutput', () => {
  it('reads an MP4: both tracks, the container and the audio durations', () => {
    expect(parseProbeOutput(JSON.stringify(mp4))).toEqual({
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      durationSec: 53.734,
      audioDurationSec: 52.505,
      hasAudio: true,
      hasVideo: true,
      hasPicture: false,
      audioCodec: 'aac',
      audioSampleRate: 16000,
      audioChannels: 1,
      videoCodec: 'h264',
      width: 160,
      height: 120,
      streamCount: 2,
    });
  });

  it('gives null durations for a MediaRecorder WebM, whose header has none', () => {
    const probe = parseProbeOutput(JSON.stringify(recorderWebm));
    expect(probe).toMatchObject({ durationSec: null, audioDurationSec: null, hasAudio: true, audioCodec: 'opus' });
  });

  it('treats "N/A", zero and garbage durations as unknown', () => {
    const probe = parseProbeOutput(
      JSON.stringify({ format: { format_name: 'wav', duration: 'N/A' }, streams: [{ codec_type: 'audio', duration: '0.000000' }] }),
    );
    expect(probe.durationSec).toBeNull();
    expect(probe.audioDurationSec).toBeNull();
    expect(probe.audioCodec).toBeNull();
  });

  it('counts a picture as a picture, not as video', () => {
    const png = parseProbeOutput(
      JSON.stringify({ format: { format_name: 'png_pipe' }, streams: [{ codec_type: 'video', codec_name: 'png' }] }),
    );
    expect(png).toMatchObject({ hasVideo: false, hasPicture: true, hasAudio: false, streamCount: 1 });
    // Random bytes named `.bin` probe as ANSI art: a "video" that is really text.
    const bintext = parseProbeOutput(
      JSON.stringify({ format: { format_name: 'bin' }, streams: [{ codec_type: 'video', codec_name: 'bintext' }] }),
    );
    expect(bintext).toMatchObject({ hasVideo: false, hasPicture: true });
  });

  it('ignores cover art beside the audio of a music file', () => {
    const mp3 = parseProbeOutput(
      JSON.stringify({
        format: { format_name: 'mp3', duration: '61.2' },
        streams: [
          { codec_type: 'audio', codec_name: 'mp3', duration: '61.2' },
          { codec_type: 'video', codec_name: 'mjpeg', disposition: { attached_pic: 1 } },
        ],
      }),
    );
    expect(mp3).toMatchObject({ hasAudio: true, hasVideo: false, hasPicture: true, videoCodec: null });
  });

  it('finds no streams in an empty answer or one with only subtitles', () => {
    expect(parseProbeOutput('{}')).toMatchObject({ formatName: '', streamCount: 0, hasAudio: false, hasVideo: false });
    const srt = parseProbeOutput(JSON.stringify({ format: { format_name: 'srt' }, streams: [{ codec_type: 'subtitle' }] }));
    expect(srt.streamCount).toBe(0);
  });

  it('throws on output that is not JSON', () => {
    expect(() => parseProbeOutput('Invalid data found when processing input')).toThrow(SyntaxError);
  });
});
