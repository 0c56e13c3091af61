/**
 * Flow control for one WebSocket connection: at most `maxInFlight` messages are being handled,
 * and at most about `maxBuffered` reply bytes wait for the peer. Past either, the daemon stops
 * reading the socket (TCP pushes back on the client) and holds the few messages already read,
 * so a client that sends fast and reads slowly cannot grow the daemon's memory without bound.
 */
export interface FlowLimits {
  maxInFlight: number;
  maxBuffered: number;
}

export interface FlowSocket {
  pause(): void;
  resume(): void;
  /** Sends a frame; `sent` runs once it is handed to the OS (or failed). */
  send(data: string | Buffer, sent: () => void): void;
}

export class ConnectionFlow {
  private inFlight = 0;
  private buffered = 0;
  private paused = false;
  /** Messages read after the socket was paused (ws still emits what it had already read). */
  private readonly held: string[] = [];

  constructor(
    private readonly socket: FlowSocket,
    private readonly limits: FlowLimits,
    /** Handles one message; `waiting` may be called once it only waits for a change (a blocking call). */
    private readonly handle: (text: string, waiting: () => void) => Promise<string | Buffer | undefined>,
    /** Called each time the connection reaches a limit. */
    private readonly onLimit: (limit: 'maxInFlightPerConnection' | 'maxBufferedBytesPerConnection') => void,
  ) {}

  receive(text: string): void {
    if (this.full()) this.held.push(text);
    else this.start(text);
    this.check();
  }

  /** The peer is gone: what it sent but was not started never will be. */
  close(): void {
    this.held.length = 0;
  }

  private start(text: string): void {
    this.inFlight += 1;
    let counted = true;
    const release = () => {
      if (!counted) return;
      counted = false;
      this.inFlight -= 1;
      this.drain();
    };
    // handle() never rejects (the transport answers every failure): one reaction, no finally.
    void this.handle(text, release).then((reply) => {
      if (reply !== undefined) this.send(reply);
      release();
    });
  }

  private send(reply: string | Buffer): void {
    const bytes = typeof reply === 'string' ? Buffer.byteLength(reply) : reply.length;
    this.buffered += bytes;
    this.socket.send(reply, () => {
      this.buffered -= bytes;
      this.drain();
    });
    this.check();
  }

  private full(): boolean {
    return this.inFlight >= this.limits.maxInFlight || this.buffered > this.limits.maxBuffered;
  }

  /** Pauses reading at a limit. */
  private check(): void {
    if (this.paused || !this.full()) return;
    this.paused = true;
    this.onLimit(this.inFlight >= this.limits.maxInFlight ? 'maxInFlightPerConnection' : 'maxBufferedBytesPerConnection');
    this.socket.pause();
  }

  /** Starts held messages while there is room, then reads again once below the limits. */
  private drain(): void {
    while (this.held.length > 0 && !this.full()) this.start(this.held.shift()!);
    if (!this.paused || this.full() || this.held.length > 0) return;
    this.paused = false;
    this.socket.resume();
  }
}
