using System.Security.Cryptography;
using CrossBorderHub.Storage.Blobs;

namespace CrossBorderHub.Storage.Tests;

public sealed class BlobStoreTests
{
    private string _folder = "";

    [SetUp]
    public void Create() => _folder = Directory.CreateTempSubdirectory("hub-blobs-").FullName;

    [TearDown]
    public void Remove() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task Put_names_the_content_by_its_sha256_and_reads_it_back()
    {
        var store = new FileBlobStore(_folder);
        var content = RandomNumberGenerator.GetBytes(300_000);
        var blob = await store.PutAsync(new MemoryStream(content), CancellationToken.None);
        Assert.That(blob.Sha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(content))));
        Assert.That(blob.Length, Is.EqualTo(content.Length));
        Assert.That(store.Exists(blob.Sha256), Is.True);
        await using var read = store.OpenRead(blob.Sha256);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.That(copy.ToArray(), Is.EqualTo(content));
    }

    [Test]
    public async Task The_same_content_twice_is_one_file_and_no_temporary_file_is_left()
    {
        var store = new FileBlobStore(_folder);
        var first = await store.PutAsync(new MemoryStream("UNB+x'"u8.ToArray()), CancellationToken.None);
        var second = await store.PutAsync(new MemoryStream("UNB+x'"u8.ToArray()), CancellationToken.None);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(Directory.GetFiles(Path.Combine(_folder, "incoming")), Is.Empty);
        Assert.That(Directory.GetFiles(_folder, "*", SearchOption.AllDirectories), Has.Length.EqualTo(1));
    }

    [Test]
    public void A_hash_that_is_not_a_sha256_cannot_point_outside_the_store()
    {
        var store = new FileBlobStore(_folder);
        Assert.That(() => store.OpenRead("../../etc/passwd"), Throws.ArgumentException);
        Assert.That(() => store.PathOf(new string('g', 64)), Throws.ArgumentException);
    }

    [Test]
    public async Task A_failing_source_leaves_no_blob_behind()
    {
        var store = new FileBlobStore(_folder);
        Assert.That(async () => await store.PutAsync(new FailingStream(), CancellationToken.None), Throws.InstanceOf<IOException>());
        Assert.That(Directory.GetFiles(_folder, "*", SearchOption.AllDirectories), Is.Empty);
    }

    private sealed class FailingStream : MemoryStream
    {
        private int _reads;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_reads++ > 0)
            {
                throw new IOException("connection lost");
            }
            buffer.Span[..10].Fill(65);
            return ValueTask.FromResult(10);
        }
    }
}
