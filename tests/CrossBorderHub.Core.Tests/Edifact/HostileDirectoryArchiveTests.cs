using CrossBorderHub.Core.Edifact.Directories;

namespace CrossBorderHub.Core.Tests.Edifact;

/// <summary>
/// A directory archive is untrusted input: each hostile shape is refused with one line, exit 1, nothing written
/// outside schemas/edifact and nothing left inside it.
/// </summary>
public sealed class HostileDirectoryArchiveTests
{
    private static readonly byte[] Text = Encoding.ASCII.GetBytes("hello\r\n");
    private string _work = "";

    private string Root => Path.Combine(_work, "schemas", "edifact");

    private string Archive => Path.Combine(_work, "d96b.zip");

    [SetUp]
    public void CreateFolders()
    {
        _work = Directory.CreateTempSubdirectory("dir-hostile-").FullName;
        Directory.CreateDirectory(Root);
    }

    [TearDown]
    public void Remove() => Directory.Delete(_work, recursive: true);

    private string Refused(ArchiveLimits? limits = null)
    {
        var refused = Assert.Throws<DirectoryInstallException>(() => DirectoryInstaller.Install(Archive, Root, replace: false, TimeProvider.System, limits))!;
        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.Message);
        Assert.That(refused.Message, Does.Not.Contain('\n'));
        Assert.That(Directory.GetFileSystemEntries(Root), Is.Empty, "nothing left in schemas/edifact");
        Assert.That(Directory.GetFileSystemEntries(_work).Select(Path.GetFileName), Is.EquivalentTo(new[] { "schemas", "d96b.zip" }), "nothing written beside it");
        return refused.Message;
    }

    [TestCase("../../evil.txt")]
    [TestCase("EDMD/../../../evil.txt")]
    [TestCase("..\\..\\evil.txt")]
    public void A_zip_slip_entry_is_refused_and_nothing_is_written_outside(string name)
    {
        ReleaseArchives.Entries(Archive, ("EDSD.96B", Text), (name, Text));

        Assert.That(Refused(), Does.Contain("zip-slip").And.Contain(name));
        Assert.That(File.Exists(Path.Combine(_work, "evil.txt")), Is.False);
        Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(_work)!, "evil.txt")), Is.False);
    }

    [Test]
    public void A_zip_slip_entry_inside_a_nested_zip_is_refused()
    {
        ReleaseArchives.Entries(Archive, ("EDMD.ZIP", ReleaseArchives.Zip(("../../../evil.txt", Text))));

        Assert.That(Refused(), Does.Contain("zip-slip").And.Contain("EDMD.ZIP in d96b.zip"));
        Assert.That(File.Exists(Path.Combine(_work, "evil.txt")), Is.False);
    }

    [TestCase("/tmp/evil.txt")]
    [TestCase("C:/evil.txt")]
    [TestCase("\\evil.txt")]
    public void An_absolute_entry_is_refused(string name)
    {
        ReleaseArchives.Entries(Archive, (name, Text));

        Assert.That(Refused(), Does.Contain("absolute path"));
    }

    [Test]
    public void A_zip_bomb_is_refused_when_the_unpacked_bytes_pass_the_cap()
    {
        // 64 MiB of zeros compress to ~64 KiB; the cap is lowered so the test stays quick, the counting is the same.
        ReleaseArchives.Entries(Archive, ("EDSD.96B", new byte[64 * 1024 * 1024]));

        Assert.That(Refused(new ArchiveLimits(8 * 1024 * 1024, 1000, 3)), Does.Contain("unpacks to more than 8 MiB").And.Contain("zip bomb"));
    }

    [Test]
    public void A_zip_bomb_nested_in_an_inner_zip_is_refused()
    {
        ReleaseArchives.Entries(Archive, ("EDSD.ZIP", ReleaseArchives.Zip(("EDSD.96B", new byte[32 * 1024 * 1024]))));

        Assert.That(Refused(new ArchiveLimits(8 * 1024 * 1024, 1000, 3)), Does.Contain("zip bomb"));
    }

    [Test]
    public void The_default_cap_is_far_above_a_release_and_far_below_a_disk()
    {
        Assert.That(ArchiveLimits.Default.MaxTotalBytes, Is.InRange(64L << 20, 1L << 30));
        Assert.That(ArchiveLimits.Default.MaxEntries, Is.InRange(1_000, 100_000));
    }

    [Test]
    public void Too_many_entries_are_refused()
    {
        ReleaseArchives.Entries(Archive, Enumerable.Range(0, 50).Select(i => ($"F{i}.96B", Text)).ToArray());

        Assert.That(Refused(new ArchiveLimits(1 << 20, 20, 3)), Does.Contain("more than 20 entries"));
    }

    [Test]
    public void Zips_nested_deeper_than_the_cap_are_refused()
    {
        var deep = ReleaseArchives.Zip(("C.ZIP", ReleaseArchives.Zip(("B.ZIP", ReleaseArchives.Zip(("EDSD.96B", Text))))));
        ReleaseArchives.Entries(Archive, ("D.ZIP", deep));

        Assert.That(Refused(), Does.Contain("nested more than 3 deep"));
    }

    [Test]
    public void A_duplicate_entry_is_refused()
    {
        ReleaseArchives.Entries(Archive, ("EDSD.96B", Text), ("edsd.96b", Text));

        Assert.That(Refused(), Does.Contain("appears twice"));
    }

    [Test]
    public void A_file_both_at_the_top_and_in_an_inner_zip_is_refused_as_a_duplicate()
    {
        ReleaseArchives.Entries(Archive, ("EDSD.96B", Text), ("EDSD.ZIP", ReleaseArchives.Zip(("EDSD.96B", Text))));

        Assert.That(Refused(), Does.Contain("EDSD.96B appears twice"));
    }

    [Test]
    public void A_file_that_is_not_a_zip_is_refused()
    {
        File.WriteAllText(Archive, "<html><body>Service unavailable</body></html>");

        Assert.That(Refused(), Does.StartWith("d96b.zip is not a zip archive"));
    }

    [Test]
    public void A_truncated_zip_is_refused()
    {
        ReleaseArchives.Nested(Archive);
        var bytes = File.ReadAllBytes(Archive);
        File.WriteAllBytes(Archive, bytes[..(bytes.Length / 2)]);

        Assert.That(Refused(), Does.StartWith("d96b.zip is not a readable zip archive"));
    }

    [Test]
    public void An_inner_zip_that_is_not_a_zip_is_refused()
    {
        ReleaseArchives.Entries(Archive, ("EDSD.ZIP", Text));

        Assert.That(Refused(), Does.StartWith("EDSD.ZIP in d96b.zip is not a zip archive"));
    }
}
