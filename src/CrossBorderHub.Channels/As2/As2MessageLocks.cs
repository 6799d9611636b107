namespace CrossBorderHub.Channels.As2;

/// <summary>
/// One request at a time per partner and Message-ID, so a resend racing its original is answered from the seen
/// record instead of being stored twice. Striped: a fixed set of locks, not one per Message-ID ever seen.
/// </summary>
internal sealed class As2MessageLocks
{
    private readonly SemaphoreSlim[] _locks = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<Held> EnterAsync(string partner, string messageId, CancellationToken cancellationToken)
    {
        var gate = _locks[(int)((uint)StringComparer.Ordinal.GetHashCode($"{partner}|{messageId}") % (uint)_locks.Length)];
        await gate.WaitAsync(cancellationToken);
        return new Held(gate);
    }

    public readonly struct Held(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
