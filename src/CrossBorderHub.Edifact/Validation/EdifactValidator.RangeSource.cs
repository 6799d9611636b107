namespace CrossBorderHub.Edifact.Validation;

public sealed partial class EdifactValidator
{
    /// <summary>Ranges of a seekable input that several threads read at once: a file handle or a memory buffer.</summary>
    private sealed class RangeSource
    {
        private readonly Microsoft.Win32.SafeHandles.SafeFileHandle? _handle;
        private readonly ArraySegment<byte> _memory;

        private RangeSource(Microsoft.Win32.SafeHandles.SafeFileHandle? handle, ArraySegment<byte> memory, long length)
        {
            _handle = handle;
            _memory = memory;
            Length = length;
        }

        public long Length { get; }

        public static bool TryCreate(Stream stream, out RangeSource source)
        {
            source = null!;
            if (stream is FileStream { CanSeek: true, Position: 0 } file && !file.SafeFileHandle.IsInvalid)
            {
                source = new RangeSource(file.SafeFileHandle, default, file.Length);
                return true;
            }
            if (stream is MemoryStream { Position: 0 } memory && memory.TryGetBuffer(out var buffer))
            {
                source = new RangeSource(null, buffer, buffer.Count);
                return true;
            }
            return false;
        }

        public Stream Open(long start, long end) => _handle is not null
            ? new FileRangeStream(_handle, start, end)
            : new MemoryStream(_memory.Array!, _memory.Offset + (int)start, (int)(end - start), writable: false);

        public int Read(long offset, byte[] buffer)
        {
            if (_handle is not null)
            {
                var total = 0;
                while (total < buffer.Length && offset + total < Length)
                {
                    var n = RandomAccess.Read(_handle, buffer.AsSpan(total), offset + total);
                    if (n == 0)
                    {
                        break;
                    }
                    total += n;
                }
                return total;
            }
            var count = (int)Math.Min(buffer.Length, Length - offset);
            _memory.AsSpan((int)offset, count).CopyTo(buffer);
            return count;
        }
    }

    /// <summary>A read-only view of [start, end) of a file, read by position so threads can share the handle.</summary>
    private sealed class FileRangeStream : Stream
    {
        private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _handle;
        private readonly long _start;
        private readonly long _end;
        private long _position;

        public FileRangeStream(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long start, long end)
        {
            _handle = handle;
            _start = start;
            _end = end;
            _position = start;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _end - _start;

        public override long Position
        {
            get => _position - _start;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, _end - _position);
            if (n <= 0)
            {
                return 0;
            }
            n = RandomAccess.Read(_handle, buffer[..n], _position);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
