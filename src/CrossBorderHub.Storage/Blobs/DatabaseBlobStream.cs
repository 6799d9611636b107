using Dapper;

namespace CrossBorderHub.Storage.Blobs;

/// <summary>
/// A blob of <see cref="DatabaseBlobStore"/> read one chunk row at a time: a payload of any size costs one chunk of
/// memory. Seekable (the length and chunk size are known), because readers such as the inspectors may rewind.
/// </summary>
internal sealed class DatabaseBlobStream(SqlDialect dialect, string uploadKey, long length, int chunkSize) : Stream
{
    private const string ChunkSql = "SELECT bytes FROM hub_blob_chunks WHERE upload_key = @Upload AND chunk_no = @Chunk";
    private byte[] _chunk = [];
    private long _chunkNo = -1;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (!NeedsChunk(out var chunkNo))
        {
            return CopyOut(buffer);
        }
        using var connection = dialect.CreateConnection();
        return Loaded(chunkNo, connection.QueryFirstOrDefault<byte[]>(ChunkSql, new { Upload = uploadKey, Chunk = chunkNo }), buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!NeedsChunk(out var chunkNo))
        {
            return CopyOut(buffer.Span);
        }
        await using var connection = dialect.CreateConnection();
        var bytes = await connection.QueryFirstOrDefaultAsync<byte[]>(new CommandDefinition(ChunkSql, new { Upload = uploadKey, Chunk = chunkNo }, cancellationToken: cancellationToken));
        return Loaded(chunkNo, bytes, buffer.Span);
    }

    /// <summary>False when the position is at the end or inside the chunk already held.</summary>
    private bool NeedsChunk(out long chunkNo)
    {
        chunkNo = _position / chunkSize;
        return _position < length && chunkNo != _chunkNo;
    }

    private int Loaded(long chunkNo, byte[]? bytes, Span<byte> buffer)
    {
        // A missing row under a committed blob is a damaged store, not an end of stream: say so rather than truncate.
        _chunk = bytes ?? throw new IOException($"blob chunk {chunkNo} of upload {uploadKey} is missing from hub_blob_chunks");
        _chunkNo = chunkNo;
        return CopyOut(buffer);
    }

    private int CopyOut(Span<byte> buffer)
    {
        if (_position >= length || buffer.IsEmpty)
        {
            return 0;
        }
        var inChunk = (int)(_position - (_chunkNo * chunkSize));
        var count = Math.Min(buffer.Length, _chunk.Length - inChunk);
        _chunk.AsSpan(inChunk, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
