using NUnit.Framework;

namespace CrossBorderHub.Testing;

/// <summary>
/// Finds a program a test needs. Missing: with CI=true the test fails (a skipped real-server test proves nothing);
/// locally it is ignored with the command that installs it.
/// </summary>
public static class RequiredTool
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string Find(string name, string package, params string[] extraCandidates)
    {
        foreach (var candidate in extraCandidates)
        {
            foreach (var path in Expand(candidate))
            {
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Concat(["/usr/sbin", "/sbin"]))
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
            {
                return path;
            }
        }
        Missing($"'{name}' is not installed: run 'apt-get install {package}' (./build.sh test does it when run as root)");
        return "";
    }

    /// <summary>A test that must run as root (it creates accounts, mounts or runs a server as its own user).</summary>
    public static void Root(string why)
    {
        if (Environment.UserName != "root")
        {
            Missing($"needs root ({why}).");
        }
    }

    /// <summary>What a test does without a part it needs: fails under CI=true, else is ignored with <paramref name="message"/>.</summary>
    public static void Missing(string message)
    {
        if (InCi)
        {
            Assert.Fail(message);
        }
        Assert.Ignore(message);
    }

    // "/usr/lib/postgresql/*/bin/initdb" -> every match, newest version last.
    private static IEnumerable<string> Expand(string pattern)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return [pattern];
        }
        var parent = Path.GetDirectoryName(pattern[..star])!;
        var rest = pattern[(pattern.IndexOf('/', star) + 1)..];
        return Directory.Exists(parent)
            ? Directory.GetDirectories(parent).OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, rest))
            : [];
    }
}
