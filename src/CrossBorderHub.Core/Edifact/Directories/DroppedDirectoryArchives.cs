using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Processing;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Core.Edifact.Directories;

/// <summary>
/// At start-up, a release archive dropped into schemas/edifact (d96b.zip, as downloaded) is installed as if by
/// `hub directories add`. One already installed from the same bytes is left alone; one that cannot be installed
/// (damaged, incomplete, or a directory of that name already there) stops the start with the reason and the fix,
/// rather than the hub starting without the directory and rejecting every message that names it.
/// </summary>
public sealed class DroppedDirectoryArchives(ILogger<DroppedDirectoryArchives> logger, TimeProvider time) : IStartupCheck
{
    // Before the mapping check: a declarative mapping may need the directory a dropped archive brings.
    public int Order => -1;

    public void Check(HubOptions options, ICollection<string> errors)
    {
        var root = SchemasLocator.EdifactRoot(options.Processing.SchemasPath);
        foreach (var error in InstallAll(root, time, logger))
        {
            errors.Add($"Hub:Processing:SchemasPath: {error}");
        }
    }

    /// <summary>Installs every new *.zip directly under <paramref name="edifactRoot"/>; returns one line per failure.</summary>
    public static List<string> InstallAll(string edifactRoot, TimeProvider time, ILogger logger)
    {
        var errors = new List<string>();
        if (!Directory.Exists(edifactRoot))
        {
            return errors;
        }
        var archives = Directory.GetFiles(edifactRoot).Where(f => f.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();
        if (archives.Count == 0)
        {
            return errors;
        }
        var installed = Directory.GetDirectories(edifactRoot).Select(DirectoryInstaller.SourceOf).OfType<DirectorySource>().Select(s => s.Sha256).ToHashSet(StringComparer.Ordinal);
        foreach (var archive in archives)
        {
            try
            {
                if (installed.Contains(DirectoryInstaller.Sha256Of(archive)))
                {
                    continue; // installed at an earlier start, from these very bytes
                }
                var directory = DirectoryInstaller.Install(archive, edifactRoot, replace: false, time);
                logger.LogInformation("Installed EDIFACT directory {Name} from {Archive}: {Messages} messages, cache {Cached}",
                    directory.Name, archive, directory.Messages, directory.Cached ? "built" : "not written (folder read-only?)");
            }
            catch (DirectoryInstallException e) when (!InstalledMeanwhile(edifactRoot, archive))
            {
                errors.Add($"{archive} was not installed: {e.Message}");
            }
            catch (DirectoryInstallException)
            {
                // Another instance sharing this schemas folder installed the same archive while this one tried.
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"{archive} cannot be read ({e.Message}): check its permissions");
            }
        }
        return errors;
    }

    /// <summary>Used in an exception filter, so it never throws: unreadable means "not installed", and the error is reported.</summary>
    private static bool InstalledMeanwhile(string edifactRoot, string archive)
    {
        try
        {
            var sha256 = DirectoryInstaller.Sha256Of(archive);
            return Directory.GetDirectories(edifactRoot).Select(DirectoryInstaller.SourceOf).Any(s => s?.Sha256 == sha256);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
