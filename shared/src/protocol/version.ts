/** The wire protocol version this code speaks. A `hello` with another version is refused. */
export const PROTOCOL_VERSION = 1 as const;

/** Whether a client announcing `protocol` can talk to this server. */
export function isCompatible(protocol: number): boolean {
  return protocol === PROTOCOL_VERSION;
}
