/**
 * PCM16 arrives in chunks cut anywhere (pipes, HTTP, base64 pieces); a sample is two bytes. The
 * aligner hands on whole samples only: an odd byte waits for the next chunk.
 */
export class SampleAligner {
  private carry: Buffer | undefined

  align(chunk: Buffer): Buffer {
    let bytes = chunk
    if (this.carry) {
      bytes = Buffer.concat([this.carry, chunk])
      this.carry = undefined
    }
    if (bytes.length % 2 === 1) {
      this.carry = bytes.subarray(bytes.length - 1)
      bytes = bytes.subarray(0, bytes.length - 1)
    }
    return bytes
  }

  /** Half a sample cannot be played: a byte left at the end is dropped. */
  reset(): void {
    this.carry = undefined
  }
}
