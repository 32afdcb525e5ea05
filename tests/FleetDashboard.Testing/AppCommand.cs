using System.Diagnostics;

namespace FleetDashboard.Testing;

/// <summary>A command of the app (create-admin, backup) as an operator runs it: the app's own dll in a process of its own, in Production.</summary>
public static class AppCommand
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <param name="environment">Variables to set, or to remove where the value is null.</param>
    public static async Task<Result> RunAsync(string workingDirectory, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string?> environment, string? standardInput = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null) await process.StandardInput.WriteLineAsync(standardInput);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{arguments[0]} did not exit: did it start the web server?");
        }

        return new Result(process.ExitCode, await output, await error);
    }
}
