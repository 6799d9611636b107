using System.Diagnostics;

namespace CrossBorderHub.Testing;

/// <summary>Runs a command to completion with a time limit and returns its exit code and output.</summary>
public static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null,
        IDictionary<string, string>? environment = null, string? standardInput = null)
    {
        var info = StartInfo(file, arguments, workingDirectory, environment);
        info.RedirectStandardInput = standardInput is not null;
        using var process = Process.Start(info)!;
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{file} {string.Join(' ', arguments)}' did not finish within {timeout}");
        }
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>How the toolkit starts a program: arguments as a list (no shell quoting), stdout and stderr redirected.</summary>
    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        return info;
    }

    /// <summary>Runs a short command (a minute at most) and returns its stdout; a non-zero exit throws with its stderr.</summary>
    public static string Output(string file, params string[] arguments) => OutputWithInput(file, null, arguments);

    /// <inheritdoc cref="Output"/>
    public static string OutputWithInput(string file, string? standardInput, params string[] arguments)
    {
        var result = RunAsync(file, arguments, TimeSpan.FromMinutes(1), standardInput: standardInput).GetAwaiter().GetResult();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Error}");
        }
        return result.Output;
    }
}
