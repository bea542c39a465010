import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { BaseConfig } from '@introeval/config';

export class GatewayConfig extends BaseConfig {
  @IsString()
  HOST: string = '0.0.0.0';

  @IsInt() @Min(1) @Max(65535)
  PORT: number = 8080;

  /** Largest accepted upload; bigger ones get HTTP 413 while streaming, before they are stored. */
  @IsInt() @Min(1)
  MEDIA_MAX_BYTES: number = 500 * 1024 * 1024;

  /** An upload connection that sends nothing for this long is closed (slow is fine, stalled is not). */
  @IsInt() @Min(1000)
  UPLOAD_IDLE_TIMEOUT_MS: number = 60_000;

  /** Uploads received at once; more get 503 and retry (each holds a connection and an object-store write). */
  @IsInt() @Min(1)
  MAX_CONCURRENT_UPLOADS: number = 64;

  /** Bearer token that reads any job (instructors, tools). Unset: no admin access. */
  @IsOptional() @IsString() @MinLength(16, { message: 'ADMIN_TOKEN must be at least 16 characters' })
  ADMIN_TOKEN: string | null = null;

  /** The status service (apps/status), host:port: positions, ETAs and the live event streams come from it. */
  @Matches(/^[^\s:/]+:\d{1,5}$/, { message: 'STATUS_URL must be host:port (the status service gRPC address)' })
  STATUS_URL: string = '127.0.0.1:50051';

  /** Longest wait for the status service on a result page before answering without the position. */
  @IsInt() @Min(50)
  STATUS_TIMEOUT_MS: number = 2000;

  /** Secret that signs receipts. Unset: one is generated once and kept in the settings bucket. */
  @IsOptional() @IsString() @MinLength(16, { message: 'RECEIPT_SECRET must be at least 16 characters' })
  RECEIPT_SECRET: string | null = null;
}
