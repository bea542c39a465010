import type { MessageHandler } from '@nestjs/microservices';
import { STAGE_SUBJECT, type Stage } from '@introeval/contracts';

/**
 * Pairs every declared stage with exactly one @EventPattern handler. A missing, doubled or orphaned handler is a
 * deployment mistake that would otherwise lose or double-process work silently, so it stops the boot.
 */
export function resolveStageHandlers(
  handlers: ReadonlyMap<string, MessageHandler>,
  stages: readonly Stage[],
): Map<Stage, MessageHandler> {
  const problems: string[] = [];
  const resolved = new Map<Stage, MessageHandler>();
  const seen = new Set<Stage>();
  for (const stage of stages) {
    const subject = STAGE_SUBJECT[stage];
    if (seen.has(stage)) {
      problems.push(`stage ${stage} is declared twice in consumers`);
      continue;
    }
    seen.add(stage);
    const handler = handlers.get(subject);
    if (!handler) {
      problems.push(`no @EventPattern handler for ${subject} (stage ${stage})`);
    } else if (handler.isEventHandler === false) {
      problems.push(`the handler for ${subject} is a @MessagePattern: JetStream work has no reply, use @EventPattern`);
    } else if (handler.next) {
      // Nest chains a second @EventPattern for the same subject onto the first and runs both per message.
      problems.push(`two or more @EventPattern handlers for ${subject}: a message must be processed once`);
    } else {
      resolved.set(stage, handler);
    }
  }
  const served = new Set(stages.map((stage) => STAGE_SUBJECT[stage]));
  for (const pattern of handlers.keys()) {
    if (!served.has(pattern)) problems.push(`a handler listens on ${pattern} but no consumer is declared for it`);
  }
  if (problems.length > 0) throw new Error(`JetStreamServer refuses to start: ${problems.join('; ')}`);
  return resolved;
}
