using System.Net.Security;
using System.Net.Sockets;
using CrossBorderHub.Channels.RemoteFiles;

namespace CrossBorderHub.Channels.Ftp;

/// <summary>
/// One transfer on an FTP data connection. A download reports its end only after the server's final reply said the
/// transfer completed (226), so a connection cut mid-file is an error, never a short file taken for a whole one.
/// </summary>
internal sealed class FtpDataStream(Stream data, FtpSession session, TimeSpan timeout, bool upload, string path) : Stream
{
    private bool _completed;

    public override bool CanRead => !upload;
    public override bool CanSeek => false;
    public override bool CanWrite => upload;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_completed)
        {
            return 0;
        }
        int read;
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            read = await data.ReadAsync(buffer, limit.Token);
        }
        catch (Exception ex) when (FtpConnector.IsNetwork(ex) || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new RemoteFileException(RemoteFailure.Connection, $"download of {path} interrupted: {FtpConnector.Reason(ex)}", ex);
        }
        if (read == 0)
        {
            await CompleteAsync(cancellationToken);
        }
        return read;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        await data.WriteAsync(buffer, limit.Token);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    /// <summary>Closes the data connection (TLS close_notify first on uploads) and checks the server's final reply.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        try
        {
            if (upload && data is OwnedStream { Inner: SslStream ssl })
            {
                await ssl.ShutdownAsync();
            }
            await data.DisposeAsync();
        }
        catch (Exception ex) when (FtpConnector.IsNetwork(ex))
        {
            // The final reply below tells whether the transfer completed.
        }
        var reply = await session.ReadReplyAsync(cancellationToken);
        if (reply.Code is not (226 or 250))
        {
            ServerAnswered = true;
            throw FtpSession.Failure((upload ? "STOR " : "RETR ") + path, reply);
        }
    }

    /// <summary>Set when the server answered a failed transfer (<see cref="AbortAsync"/>, <see cref="CompleteAsync"/>): its
    /// control connection still works.</summary>
    public bool ServerAnswered { get; private set; }

    /// <summary>After a failed upload: the server's reply (e.g. 451/452 disk full) explains it better than the socket error.</summary>
    public async Task<RemoteFileException> AbortAsync(Exception cause, CancellationToken cancellationToken)
    {
        _completed = true;
        await data.DisposeAsync();
        try
        {
            var reply = await session.ReadReplyAsync(cancellationToken);
            ServerAnswered = true;
            return reply.Code is 226 or 250
                ? new RemoteFileException(RemoteFailure.Connection, $"upload of {path} interrupted: {FtpConnector.Reason(cause)}", cause)
                : FtpSession.Failure("STOR " + path, reply);
        }
        catch (RemoteFileException ex)
        {
            return cause as RemoteFileException ?? ex;
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            // Stopped before the end (the store failed): close, and read the server's 426/226 so the control
            // connection stays in step for the next command.
            _completed = true;
            await data.DisposeAsync();
            try
            {
                await session.ReadReplyAsync(CancellationToken.None);
            }
            catch (RemoteFileException)
            {
                // The session is dropped by the caller on the next failure anyway.
            }
        }
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_completed)
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        base.Dispose(disposing);
    }
}

/// <summary>A data stream that also owns (and closes) its socket.</summary>
internal sealed class OwnedStream(Stream inner, TcpClient client) : Stream
{
    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public Stream Inner => inner;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    public override void Flush() => inner.Flush();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        client.Dispose();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            client.Dispose();
        }
        base.Dispose(disposing);
    }
}
