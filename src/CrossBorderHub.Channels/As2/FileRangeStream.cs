namespace CrossBorderHub.Channels.As2;

/// <summary>A read-only stream over [offset, offset + length) of a file: hands a payload to the store without copying it.</summary>
internal sealed class FileRangeStream : Stream
{
    private readonly FileStream _file;
    private readonly long _offset;
    private readonly long _length;

    public FileRangeStream(string path, long offset, long length)
    {
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        _offset = offset;
        _length = length;
        _file.Position = offset;
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _file.Position - _offset;
        set => _file.Position = _offset + Math.Clamp(value, 0, _length);
    }

    public override int Read(byte[] buffer, int offset, int count) => _file.Read(buffer, offset, (int)Math.Min(count, _length - Position));

    public override int Read(Span<byte> buffer) => _file.Read(buffer[..(int)Math.Min(buffer.Length, _length - Position)]);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _file.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _length - Position)], cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _file.ReadAsync(buffer, offset, (int)Math.Min(count, _length - Position), cancellationToken);

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => _length + offset,
        };
        return Position;
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }
        base.Dispose(disposing);
    }
}
