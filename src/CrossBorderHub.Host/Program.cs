using CrossBorderHub.Host.Cli;

return await CliDispatcher.RunAsync(args, Console.Out, Console.Error);
