namespace CrossBorderHub.Channels;

/// <summary>
/// A forward-only, read-only view that owns the stream it reads: what the transports' read wrappers share
/// (<see cref="CheckedReadStream"/>, <see cref="Sftp.SftpReadStream"/>), so each states only what it adds to a read.
/// </summary>
internal abstract class ReadOnlyWrapperStream(Stream inner) : Stream
{
    protected Stream Inner => inner;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>What a wrapper adds to a read, for both async overloads.</summary>
    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Closes the inner stream; a wrapper over a connection that may be gone tolerates its failure.</summary>
    protected virtual void DisposeInner() => inner.Dispose();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeInner();
        }
        base.Dispose(disposing);
    }
}
