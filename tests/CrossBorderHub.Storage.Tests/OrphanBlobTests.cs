using CrossBorderHub.Storage.Blobs;

namespace CrossBorderHub.Storage.Tests;

/// <summary>Issue 11 defect 4: a kill during intake left its temporary file in blobs/incoming forever.</summary>
public sealed class OrphanBlobTests
{
    private string _folder = "";

    [SetUp]
    public void Create() => _folder = Directory.CreateTempSubdirectory("hub-orphans-").FullName;

    [TearDown]
    public void Remove() => Directory.Delete(_folder, recursive: true);

    /// <summary>A temporary file as a killed intake leaves it: a 32-hex name, half the bytes, last written long ago.</summary>
    private static string Plant(FileBlobStore store, TimeSpan age, int bytes = 4096)
    {
        var path = Path.Combine(store.IncomingFolder, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, new byte[bytes]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    [Test]
    public void Orphan_partial_blob_left_by_a_killed_intake_is_removed_and_counted_while_a_fresh_one_is_kept()
    {
        var store = new FileBlobStore(_folder);
        var orphan = Plant(store, TimeSpan.FromHours(2), bytes: 341_000);
        var fresh = Plant(store, TimeSpan.FromSeconds(5));
        var notOurs = Path.Combine(store.IncomingFolder, "README");
        File.WriteAllText(notOurs, "left by an admin");
        File.SetLastWriteTimeUtc(notOurs, DateTime.UtcNow.AddDays(-3));

        var sweep = store.SweepOrphans(TimeSpan.FromHours(1), DateTimeOffset.UtcNow);

        Assert.That(File.Exists(orphan), Is.False, "the orphan is still there");
        Assert.That(File.Exists(fresh), Is.True, "an intake that may be in progress was removed");
        Assert.That(File.Exists(notOurs), Is.True, "a file the store did not make was removed");
        Assert.That(sweep, Is.EqualTo(new OrphanSweep(Removed: 1, RemovedBytes: 341_000, Present: 1)));
        Assert.That(store.CountIncoming(TimeSpan.FromHours(1), DateTimeOffset.UtcNow), Is.EqualTo((1, 0)));
    }

    [Test]
    public void Orphan_sweep_never_removes_an_old_temporary_file_that_a_writer_still_holds_open()
    {
        // Another hub instance sharing the data root, stalled on a slow partner: old mtime, but the file is open.
        var store = new FileBlobStore(_folder);
        var stalled = Plant(store, TimeSpan.FromHours(3));
        using (new FileStream(stalled, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            var sweep = store.SweepOrphans(TimeSpan.FromHours(1), DateTimeOffset.UtcNow);
            Assert.That(sweep.Removed, Is.Zero);
            Assert.That(File.Exists(stalled), Is.True);
            Assert.That(store.CountIncoming(TimeSpan.FromHours(1), DateTimeOffset.UtcNow), Is.EqualTo((1, 1)));
        }
        Assert.That(store.SweepOrphans(TimeSpan.FromHours(1), DateTimeOffset.UtcNow).Removed, Is.EqualTo(1), "released, it is an orphan");
    }

    [Test]
    public async Task Orphan_sweep_never_removes_the_temporary_file_of_an_intake_in_progress_in_this_process()
    {
        var store = new FileBlobStore(_folder);
        var gate = new TaskCompletionSource();
        var put = Task.Run(() => store.PutAsync(new GatedStream(gate.Task), CancellationToken.None));
        string? temporary = null;
        for (var i = 0; i < 200 && temporary is null; i++)
        {
            await Task.Delay(10);
            temporary = Directory.GetFiles(store.IncomingFolder).FirstOrDefault();
        }
        Assert.That(temporary, Is.Not.Null);
        File.SetLastWriteTimeUtc(temporary!, DateTime.UtcNow.AddDays(-1));

        // "now" far ahead, so age alone would call it an orphan: the writer (its name and its lock) keeps it.
        var sweep = store.SweepOrphans(TimeSpan.FromHours(1), DateTimeOffset.UtcNow.AddDays(2));
        Assert.That(sweep.Removed, Is.Zero);
        gate.SetResult();
        var blob = await put;
        Assert.That(store.Exists(blob.Sha256), Is.True);
        Assert.That(Directory.GetFiles(store.IncomingFolder), Is.Empty);
    }

    /// <summary>Gives one chunk, then waits for the gate before the end: an intake with a partner that stalls.</summary>
    private sealed class GatedStream(Task gate) : Stream
    {
        private bool _first = true;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_first)
            {
                _first = false;
                buffer.Span[..100].Fill((byte)'x');
                return 100;
            }
            await gate.WaitAsync(cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
