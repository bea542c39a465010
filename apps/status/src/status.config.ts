import { IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { BaseConfig } from '@introeval/config';

/** The status service's settings, validated once at boot (loadConfig). */
export class StatusConfig extends BaseConfig {
  /** Address the gRPC server binds to. */
  @IsString()
  STATUS_HOST: string = '0.0.0.0';

  /** Port of the gRPC server (StatusService, grpc.health.v1.Health, server reflection). */
  @IsInt() @Min(1) @Max(65535)
  STATUS_GRPC_PORT: number = 50051;

  /** Bearer token for the admin calls and for any job. Unset: no admin access (every bearer token is refused). */
  @IsOptional() @IsString() @MinLength(16, { message: 'ADMIN_TOKEN must be at least 16 characters' })
  ADMIN_TOKEN: string | null = null;

  /** The gateway's receipt secret, when it is configured there; unset: the one kept in the settings bucket. */
  @IsOptional() @IsString() @MinLength(16, { message: 'RECEIPT_SECRET must be at least 16 characters' })
  RECEIPT_SECRET: string | null = null;

  /**
   * The shared snapshot of queues, workers and nodes is read again at most this often, and only while a call or a
   * stream uses it: every caller within the period gets the same one.
   */
  @IsInt() @Min(100) @Max(10_000)
  STATUS_REFRESH_MS: number = 500;

  /** WatchSystem sends at least this often even when nothing but the ages changed, so a dashboard's clocks move. */
  @IsInt() @Min(500)
  STATUS_SYSTEM_RESEND_MS: number = 5_000;
}
