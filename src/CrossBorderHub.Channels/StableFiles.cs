namespace CrossBorderHub.Channels;

/// <summary>One look at a file: its size and modification time, and when we first saw it so.</summary>
internal readonly record struct FileLook(long Size, DateTimeOffset LastWriteUtc, DateTimeOffset FirstSeenUtc);

/// <summary>
/// Remembers what the previous listing of a folder showed, so a file is taken only once two looks at least
/// <c>interval</c> apart agree on its size and modification time. The modification time alone cannot tell: a writer
/// may pause longer than MinimumAge, and SFTP/FTP servers report whole seconds.
/// </summary>
internal sealed class FileLooks
{
    private Dictionary<string, FileLook> _looks = new(StringComparer.Ordinal);

    /// <summary>Records this listing's look at every file (forgetting vanished ones) and says which agreed long enough.</summary>
    public HashSet<string> Observe(IEnumerable<(string Name, long Size, DateTimeOffset LastWriteUtc)> files, DateTimeOffset now, TimeSpan interval)
    {
        var next = new Dictionary<string, FileLook>(StringComparer.Ordinal);
        var stable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, size, lastWrite) in files)
        {
            if (_looks.TryGetValue(name, out var before) && before.Size == size && before.LastWriteUtc == lastWrite)
            {
                // Unchanged since the earlier look: keep when it was first seen so, the interval counts from there.
                next[name] = before;
                if (now - before.FirstSeenUtc >= interval)
                {
                    stable.Add(name);
                }
            }
            else
            {
                next[name] = new FileLook(size, lastWrite, now);
            }
        }
        _looks = next;
        return stable;
    }

    /// <summary>How long until the earliest file first seen in the last listing can be looked at again.</summary>
    public TimeSpan WaitFor(IEnumerable<string> names, DateTimeOffset now, TimeSpan interval)
    {
        var wait = TimeSpan.Zero;
        foreach (var name in names)
        {
            if (_looks.TryGetValue(name, out var look))
            {
                var remaining = look.FirstSeenUtc + interval - now;
                wait = remaining > wait ? remaining : wait;
            }
        }
        return wait;
    }

    public bool TryGet(string name, out FileLook look) => _looks.TryGetValue(name, out look);
}

/// <summary>A source that changed while or after it was read: its stored copy is not taken as complete.</summary>
internal sealed class SourceChangedException(string message) : IOException(message);

/// <summary>
/// Hands a source's bytes to the sink and, at the end, fails the read when the byte count is not the size both
/// looks agreed on (or <paramref name="recheck"/> finds the file changed), so the store never commits a partial copy.
/// </summary>
internal sealed class CheckedReadStream(Stream inner, long expectedSize, string name, Action? recheck = null) : ReadOnlyWrapperStream(inner)
{
    private long _read;

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Account(Inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Account(await Inner.ReadAsync(buffer, cancellationToken));

    private int Account(int read)
    {
        _read += read;
        if (_read > expectedSize || (read == 0 && _read != expectedSize))
        {
            throw new SourceChangedException($"{name} changed while it was read ({_read} bytes read, {expectedSize} listed): left for a later poll");
        }
        if (read == 0)
        {
            recheck?.Invoke();
        }
        return read;
    }

    public override async ValueTask DisposeAsync()
    {
        await Inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
