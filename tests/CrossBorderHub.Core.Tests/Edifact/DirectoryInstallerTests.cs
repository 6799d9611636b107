using CrossBorderHub.Core.Edifact.Directories;
using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Core.Tests.Edifact;

/// <summary>A UNECE release archive, as downloaded, becomes a checked, cached directory under schemas/edifact.</summary>
public sealed class DirectoryInstallerTests
{
    private string _work = "";

    private string Root => Path.Combine(_work, "schemas", "edifact");

    private string Archive(string name) => Path.Combine(_work, name);

    [SetUp]
    public void CreateFolders()
    {
        _work = Directory.CreateTempSubdirectory("dir-install-").FullName;
        Directory.CreateDirectory(Root);
    }

    [TearDown]
    public void Remove() => Directory.Delete(_work, recursive: true);

    private InstalledDirectory Install(string archive, bool replace = false) =>
        DirectoryInstaller.Install(archive, Root, replace, TimeProvider.System);

    private DirectoryInstallException Refused(string archive, bool replace = false) =>
        Assert.Throws<DirectoryInstallException>(() => Install(archive, replace))!;

    [Test]
    public void A_nested_UNECE_release_installs_with_its_cache_and_loads_like_the_shipped_folder()
    {
        ReleaseArchives.Nested(Archive("d96b.zip"));

        var installed = Install(Archive("d96b.zip"));

        Assert.That(installed.Name, Is.EqualTo("D96B"));
        Assert.That(installed.Messages, Is.EqualTo(136));
        Assert.That(installed.Cached, Is.True);
        Assert.That(File.Exists(Path.Combine(Root, ".cache", "D96B.bin")), Is.True);
        var directory = new EdifactDirectory("D96B", Path.Combine(Root, "D96B"));
        var shipped = new EdifactDirectory("D96B", Path.Combine(ReleaseArchives.SchemasEdifact, "D96B"));
        Assert.That(directory.HasCurrentCache, Is.True);
        Assert.That(directory.Segments.Keys, Is.EquivalentTo(shipped.Segments.Keys));
        Assert.That(directory.Codes.Keys, Is.EquivalentTo(shipped.Codes.Keys));
        Assert.That(directory.GetMessage("CUSDEC"), Is.Not.Null);
        Assert.That(Directory.GetFileSystemEntries(Root).Select(Path.GetFileName), Is.EquivalentTo(new[] { ".cache", "D96B" }), "no staging folder left");
        Assert.That(Directory.GetFiles(Path.Combine(Root, "D96B"), "*.ZIP"), Is.Empty, "inner zips are unpacked, not kept");
    }

    [Test]
    public void A_flat_release_under_one_top_folder_installs()
    {
        ReleaseArchives.Flat(Archive("d01b.zip"), "D01B", "d01b");

        var installed = Install(Archive("d01b.zip"));

        Assert.That(installed.Name, Is.EqualTo("D01B"));
        Assert.That(installed.Messages, Is.EqualTo(194));
        Assert.That(File.Exists(Path.Combine(Root, "D01B", "EDSD.01B")), Is.True);
    }

    [Test]
    public void The_directory_name_comes_from_the_files_not_the_archive_name()
    {
        ReleaseArchives.Nested(Archive("download (1).zip"));

        Assert.That(Install(Archive("download (1).zip")).Name, Is.EqualTo("D96B"));
    }

    [Test]
    public void The_listing_names_each_directory_its_message_count_cache_and_source()
    {
        ReleaseArchives.Nested(Archive("d96b.zip"));
        Install(Archive("d96b.zip"));
        var copied = Directory.CreateDirectory(Path.Combine(Root, "D01B")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(ReleaseArchives.SchemasEdifact, "D01B")))
        {
            File.Copy(file, Path.Combine(copied, Path.GetFileName(file)));
        }

        var listed = DirectoryInstaller.List(Root);

        Assert.That(listed.Select(d => (d.Name, d.Messages, d.Cached)), Is.EqualTo(new[] { ("D01B", 194, false), ("D96B", 136, true) }));
        Assert.That(listed[0].Source, Is.EqualTo("folder"));
        Assert.That(listed[1].Source, Does.StartWith("d96b.zip (sha256 " + DirectoryInstaller.Sha256Of(Archive("d96b.zip"))[..12]));
    }

    [Test]
    public void A_release_without_its_code_lists_is_refused_naming_UNCL_and_nothing_is_installed()
    {
        ReleaseArchives.Nested(Archive("d96b.zip"), skip: f => f.StartsWith("UNCL", StringComparison.Ordinal));

        var refused = Refused(Archive("d96b.zip"));

        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.Message, Does.StartWith("d96b.zip: no code list file (UNCL.*, published in UNCL.ZIP) in the archive"));
        Assert.That(refused.Message, Does.Contain("download the complete release again"));
        Assert.That(refused.Message, Does.Not.Contain('\n'));
        Assert.That(Directory.GetFileSystemEntries(Root), Is.Empty, "nothing half-installed");
    }

    [TestCase("TRSD", "segment directory")]
    [TestCase("TRCD", "composite data element directory")]
    [TestCase("TRED", "data element directory")]
    [TestCase("_D.", "message file")]
    public void A_release_missing_a_required_file_is_refused_naming_it(string prefix, string what)
    {
        ReleaseArchives.Nested(Archive("d96b.zip"), skip: f => f.StartsWith(prefix, StringComparison.Ordinal) || (prefix == "_D." && f.Contains(prefix, StringComparison.Ordinal)));

        var refused = Refused(Archive("d96b.zip"));

        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.Message, Does.Contain(what));
        Assert.That(Directory.GetFileSystemEntries(Root), Is.Empty);
    }

    [Test]
    public void A_damaged_segment_directory_is_refused_naming_the_file()
    {
        ReleaseArchives.Nested(Archive("d96b.zip"), replace: new Dictionary<string, byte[]> { ["TRSD.96B"] = Encoding.ASCII.GetBytes("PK this is not the UNECE text\r\n") });

        var refused = Refused(Archive("d96b.zip"));

        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.Message, Does.StartWith("d96b.zip: TRSD.96B: no segment specification could be read"));
        Assert.That(Directory.GetFileSystemEntries(Root), Is.Empty);
    }

    [Test]
    public void A_message_file_without_a_segment_table_is_refused_naming_it()
    {
        ReleaseArchives.Nested(Archive("d96b.zip"), replace: new Dictionary<string, byte[]> { ["CUSDEC_D.96B"] = Encoding.ASCII.GetBytes("truncated download\r\n") });

        Assert.That(Refused(Archive("d96b.zip")).Message, Does.StartWith("d96b.zip: CUSDEC_D.96B: no segment table could be read"));
    }

    [Test]
    public void A_file_of_another_release_in_the_archive_is_refused()
    {
        var uncl = File.ReadAllBytes(Path.Combine(ReleaseArchives.SchemasEdifact, "D01B", "UNCL.01B"));
        ReleaseArchives.Nested(Archive("d96b.zip"), skip: f => f.StartsWith("UNCL", StringComparison.Ordinal));
        using (var zip = System.IO.Compression.ZipFile.Open(Archive("d96b.zip"), System.IO.Compression.ZipArchiveMode.Update))
        {
            using var entry = zip.CreateEntry("UNCL.01B").Open();
            entry.Write(uncl);
        }

        Assert.That(Refused(Archive("d96b.zip")).Message, Does.Contain("UNCL.01B is not part of release 96B"));
    }

    [Test]
    public void An_installed_directory_is_not_replaced_without_replace_and_is_replaced_with_it()
    {
        ReleaseArchives.Nested(Archive("d96b.zip"));
        Install(Archive("d96b.zip"));
        var marker = Path.Combine(Root, "D96B", "kept-until-replaced.txt");
        File.WriteAllText(marker, "old");

        var refused = Refused(Archive("d96b.zip"));
        Assert.That(refused.ExitCode, Is.EqualTo(2));
        Assert.That(refused.Message, Does.Contain("already installed").And.Contain("--replace"));
        Assert.That(File.Exists(marker), Is.True, "the installed directory is untouched");

        Install(Archive("d96b.zip"), replace: true);
        Assert.That(File.Exists(marker), Is.False);
        Assert.That(new EdifactDirectory("D96B", Path.Combine(Root, "D96B")).HasCurrentCache, Is.True);
        Assert.That(Directory.GetFileSystemEntries(Root).Select(Path.GetFileName), Is.EquivalentTo(new[] { ".cache", "D96B" }));
    }

    [Test]
    public void A_staging_folder_left_by_a_killed_install_is_removed_by_the_next_install()
    {
        var abandoned = Directory.CreateDirectory(Path.Combine(Root, ".install-0123456789abcdef")).FullName;
        File.WriteAllText(Path.Combine(abandoned, "EDSD.96B"), "half");
        Directory.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddHours(-2));
        var recent = Directory.CreateDirectory(Path.Combine(Root, ".install-fedcba9876543210")).FullName;
        ReleaseArchives.Nested(Archive("d96b.zip"));

        Install(Archive("d96b.zip"));

        Assert.That(Directory.Exists(abandoned), Is.False);
        Assert.That(Directory.Exists(recent), Is.True, "perhaps another install still at work");
    }

    [Test]
    public void A_missing_archive_is_an_io_error_naming_the_path()
    {
        var refused = Refused(Archive("d99z.zip"));

        Assert.That(refused.ExitCode, Is.EqualTo(2));
        Assert.That(refused.Message, Does.StartWith(Archive("d99z.zip") + ": cannot be read"));
    }

    [Test]
    public void A_zip_dropped_into_schemas_edifact_is_installed_once_and_a_broken_one_is_reported()
    {
        ReleaseArchives.Nested(Path.Combine(Root, "d96b.zip"));
        File.WriteAllText(Path.Combine(Root, "d01b.zip"), "<html>404 Not Found</html>");

        var first = DroppedDirectoryArchives.InstallAll(Root, TimeProvider.System, NullLogger.Instance);

        Assert.That(first, Has.Count.EqualTo(1));
        Assert.That(first[0], Does.Contain("d01b.zip was not installed").And.Contain("not a zip archive"));
        Assert.That(DirectoryInstaller.List(Root).Select(d => d.Name), Is.EqualTo(new[] { "D96B" }));

        File.Delete(Path.Combine(Root, "d01b.zip"));
        var marker = Path.Combine(Root, "D96B", "not-reinstalled.txt");
        File.WriteAllText(marker, "");
        Assert.That(DroppedDirectoryArchives.InstallAll(Root, TimeProvider.System, NullLogger.Instance), Is.Empty, "the same bytes are installed already");
        Assert.That(File.Exists(marker), Is.True);
    }
}
