import { createRequire } from 'node:module';

/**
 * The AIP-193 rich error model this library writes and reads: `google.rpc.Status` whose details
 * are `google.protobuf.Any`s of the `google.rpc` error details. Field names are protobufjs's
 * camelCase; field numbers are those of google/rpc/status.proto and error_details.proto.
 */
const RICH_ERROR_MODEL = {
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: {
              fields: { typeUrl: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } },
            },
            Duration: {
              fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } },
            },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: 'int32', id: 1 },
                message: { type: 'string', id: 2 },
                details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 },
              },
            },
            ErrorInfo: {
              fields: {
                reason: { type: 'string', id: 1 },
                domain: { type: 'string', id: 2 },
                metadata: { keyType: 'string', type: 'string', id: 3 },
              },
            },
            RetryInfo: {
              fields: { retryDelay: { type: 'google.protobuf.Duration', id: 1 } },
            },
            BadRequest: {
              fields: { fieldViolations: { rule: 'repeated', type: 'FieldViolation', id: 1 } },
              nested: {
                FieldViolation: {
                  fields: {
                    field: { type: 'string', id: 1 },
                    description: { type: 'string', id: 2 },
                    reason: { type: 'string', id: 3 },
                    localizedMessage: { type: 'LocalizedMessage', id: 4 },
                  },
                },
              },
            },
            RequestInfo: {
              fields: {
                requestId: { type: 'string', id: 1 },
                servingData: { type: 'string', id: 2 },
              },
            },
            Help: {
              fields: { links: { rule: 'repeated', type: 'Link', id: 1 } },
              nested: {
                Link: {
                  fields: {
                    description: { type: 'string', id: 1 },
                    url: { type: 'string', id: 2 },
                  },
                },
              },
            },
            LocalizedMessage: {
              fields: { locale: { type: 'string', id: 1 }, message: { type: 'string', id: 2 } },
            },
          },
        },
      },
    },
  },
} as const;

/** The `google.rpc` details this library writes, by their type name. */
export interface GrpcErrorDetails {
  ErrorInfo?: { reason: string; domain: string; metadata: Record<string, string> };
  BadRequest?: { fieldViolations: Array<{ field?: string; description: string }> };
  RetryInfo?: { retryDelay: { seconds: number; nanos?: number } };
  RequestInfo?: { requestId: string; servingData?: string };
  Help?: { links: Array<{ description: string; url: string }> };
  LocalizedMessage?: { locale: string; message: string };
}

/** A `google.rpc.Status`, its details decoded (those of other types are left out). */
export interface GrpcRichStatus {
  code: number;
  message: string;
  details: GrpcErrorDetails;
}

/** The order details are written in: the error, what to fix, when to retry, then references. */
const DETAIL_TYPES = [
  'ErrorInfo',
  'BadRequest',
  'RetryInfo',
  'RequestInfo',
  'Help',
  'LocalizedMessage',
] as const satisfies ReadonlyArray<keyof GrpcErrorDetails>;

const TYPE_URL_PREFIX = 'type.googleapis.com/google.rpc.';

/** The part of a protobufjs message type this uses. */
interface MessageType {
  fromObject(object: object): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: { longs: NumberConstructor }): Record<string, unknown>;
}

/** The part of `protobufjs/light` this uses (an optional peer: only its shape is known). */
interface ProtobufLight {
  Root: { fromJSON(json: object): { lookupType(name: string): MessageType } };
}

interface RichErrorTypes {
  Status: MessageType;
  Any: MessageType;
  details: Readonly<Record<(typeof DETAIL_TYPES)[number], MessageType>>;
}

/** Not loaded yet (undefined), unavailable (null), or the compiled types. */
let types: RichErrorTypes | null | undefined;

/**
 * protobufjs, loaded the first time a gRPC error is written or read: an app that does not speak
 * gRPC never loads it, and an app without it installed still works (its gRPC errors then carry
 * the status, message and request id, without `grpc-status-details-bin`). `require`: protobufjs
 * ships CommonJS, and the pipeline writes errors synchronously.
 */
function richErrorTypes(): RichErrorTypes | null {
  if (types === undefined) {
    try {
      const protobuf = createRequire(import.meta.url)('protobufjs/light') as ProtobufLight;
      const root = protobuf.Root.fromJSON(RICH_ERROR_MODEL);
      const details = {} as Record<(typeof DETAIL_TYPES)[number], MessageType>;
      for (const name of DETAIL_TYPES) {
        details[name] = root.lookupType(`google.rpc.${name}`);
      }
      types = {
        Status: root.lookupType('google.rpc.Status'),
        Any: root.lookupType('google.protobuf.Any'),
        details,
      };
    } catch {
      types = null;
    }
  }
  return types;
}

/** True when protobufjs can be loaded, so statuses carry their details. */
export function richErrorsAvailable(): boolean {
  return richErrorTypes() !== null;
}

/**
 * `google.rpc.Status` as the bytes of a `grpc-status-details-bin` trailer, each detail packed in
 * a `google.protobuf.Any`; undefined without protobufjs.
 */
export function encodeGrpcStatus(status: GrpcRichStatus): Buffer | undefined {
  const compiled = richErrorTypes();
  if (compiled === null) {
    return undefined;
  }
  const details: unknown[] = [];
  for (const name of DETAIL_TYPES) {
    const detail = status.details[name];
    if (detail !== undefined) {
      const type = compiled.details[name];
      details.push({
        typeUrl: `${TYPE_URL_PREFIX}${name}`,
        value: type.encode(type.fromObject(detail)).finish(),
      });
    }
  }
  const message = compiled.Status.fromObject({
    code: status.code,
    message: status.message,
    details,
  });
  return Buffer.from(compiled.Status.encode(message).finish());
}

/**
 * The `google.rpc.Status` of a `grpc-status-details-bin` trailer, with the details this library
 * knows decoded; undefined for bytes that are not one, or without protobufjs.
 */
export function decodeGrpcStatus(bytes: Uint8Array): GrpcRichStatus | undefined {
  const compiled = richErrorTypes();
  if (compiled === null) {
    return undefined;
  }
  try {
    const status = compiled.Status.toObject(compiled.Status.decode(bytes), { longs: Number });
    const details: Record<string, unknown> = {};
    for (const any of (status.details ?? []) as Array<{ typeUrl?: string; value?: Uint8Array }>) {
      const name = DETAIL_TYPES.find((type) => any.typeUrl === `${TYPE_URL_PREFIX}${type}`);
      // The first of each type counts: the model has one of each.
      if (name !== undefined && any.value !== undefined && details[name] === undefined) {
        const type = compiled.details[name];
        details[name] = type.toObject(type.decode(any.value), { longs: Number });
      }
    }
    return {
      code: typeof status.code === 'number' ? status.code : 0,
      message: typeof status.message === 'string' ? status.message : '',
      details: details as GrpcErrorDetails,
    };
  } catch {
    return undefined;
  }
}
