using CrossBorderHub.Host.Cli;

namespace CrossBorderHub.Host.Tests.Cli;

/// <summary>
/// `hub directories` and `hub directories add FILE.zip` as an admin types them: exit 0 installed, 1 a broken or
/// hostile archive, 2 usage, an unreadable file or a directory already there; one line on stderr for each failure.
/// </summary>
public sealed class DirectoriesVerbTests : CliVerbTestBase
{
    private string Schemas => Path.Combine(Folder, "schemas");

    private string SchemasSwitch => "--Hub:Processing:SchemasPath=" + Schemas;

    [Test]
    public async Task Directories_add_installs_a_downloaded_release_that_validate_then_uses()
    {
        var archive = Path.Combine(Folder, "d96b.zip");
        ReleaseArchives.Nested(archive);

        var (exit, output, error) = await Run(new DirectoriesVerb(), "add", archive, SchemasSwitch);

        Assert.That(exit, Is.EqualTo(0), output + error);
        Assert.That(output, Does.StartWith($"installed D96B in {Path.Combine(Schemas, "edifact", "D96B")}: 136 messages, cache built."));
        var sample = Path.Combine(HubProcess.RepositoryRoot, "samples", "messages", "edifact", "cusdec-d96b-una-syntax3.edi");
        var validate = await Run(new ValidateVerb(), sample, SchemasSwitch);
        Assert.That(validate.Exit, Is.EqualTo(0), validate.Out + validate.Error);
    }

    [Test]
    public async Task Directories_lists_name_messages_cache_and_source()
    {
        var archive = Path.Combine(Folder, "d96b.zip");
        ReleaseArchives.Nested(archive);
        await Run(new DirectoriesVerb(), "add", archive, SchemasSwitch);

        var (exit, output, _) = await Run(new DirectoriesVerb(), SchemasSwitch);

        Assert.That(exit, Is.EqualTo(0));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines[0], Does.Match(@"^NAME\s+MESSAGES\s+CACHED\s+SOURCE$"));
        Assert.That(lines[1], Does.Match(@"^D96B\s+136\s+yes\s+d96b\.zip \(sha256 [0-9a-f]{12}, installed \d{4}-\d\d-\d\d \d\d:\d\dZ\)$"));
    }

    [Test]
    public async Task Directories_lists_the_shipped_folders()
    {
        var (exit, output, _) = await Run(new DirectoriesVerb(), "--Hub:Processing:SchemasPath=" + Path.Combine(HubProcess.RepositoryRoot, "schemas"));

        Assert.That(exit, Is.EqualTo(0));
        Assert.That(output, Does.Match(@"\nD01B\s+194\s+(yes|no)\s+folder"));
        Assert.That(output, Does.Match(@"\nD96B\s+136\s+(yes|no)\s+folder"));
        Assert.That(output, Does.Not.Contain("service"));
    }

    [Test]
    public async Task Directories_add_of_a_hostile_archive_exits_1_with_one_line()
    {
        var archive = Path.Combine(Folder, "d96b.zip");
        ReleaseArchives.Entries(archive, ("../../outside.txt", [1, 2, 3]));

        var (exit, output, error) = await Run(new DirectoriesVerb(), "add", archive, SchemasSwitch);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(error.TrimEnd(), Does.StartWith("hub directories add: d96b.zip: entry ../../outside.txt climbs out of the folder").And.Not.Contain('\n'));
        Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(Folder)!, "outside.txt")), Is.False);
    }

    [Test]
    public async Task Directories_add_of_an_installed_directory_exits_2_and_replace_replaces_it()
    {
        var archive = Path.Combine(Folder, "d96b.zip");
        ReleaseArchives.Nested(archive);
        await Run(new DirectoriesVerb(), "add", archive, SchemasSwitch);

        var again = await Run(new DirectoriesVerb(), "add", archive, SchemasSwitch);
        var replaced = await Run(new DirectoriesVerb(), "add", archive, "--replace", SchemasSwitch);

        Assert.That(again.Exit, Is.EqualTo(2));
        Assert.That(again.Error, Does.Contain("already installed").And.Contain("--replace"));
        Assert.That(replaced.Exit, Is.EqualTo(0), replaced.Error);
    }

    [Test]
    public async Task Directories_add_without_a_file_or_with_an_unknown_command_is_a_usage_error()
    {
        var noFile = await CliDispatcher.RunAsync(["directories", "add"], TextWriter.Null, new StringWriter());
        var unknown = await CliDispatcher.RunAsync(["directories", "remove", "D96B"], TextWriter.Null, new StringWriter());
        var missing = await Run(new DirectoriesVerb(), "add", Path.Combine(Folder, "nope.zip"), SchemasSwitch);

        Assert.That(noFile, Is.EqualTo(2));
        Assert.That(unknown, Is.EqualTo(2));
        Assert.That(missing.Exit, Is.EqualTo(2));
        Assert.That(missing.Error, Does.Contain("nope.zip: cannot be read"));
    }
}
