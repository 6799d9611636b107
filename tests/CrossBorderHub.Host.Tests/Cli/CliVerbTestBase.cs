using CrossBorderHub.Host.Cli;

namespace CrossBorderHub.Host.Tests.Cli;

/// <summary>A verb run as `hub` runs it (stdout, stderr, exit code), with a fresh temporary folder per test.</summary>
public abstract class CliVerbTestBase
{
    protected string Folder { get; private set; } = "";

    [SetUp]
    public void CreateFolder()
    {
        Folder = Path.Combine(Path.GetTempPath(), $"hub-cli-{GetType().Name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(Folder, recursive: true);

    internal static async Task<(int Exit, string Out, string Error)> Run(ICliVerb verb, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await verb.RunAsync(args, new CliContext(output, error, args), CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }
}
