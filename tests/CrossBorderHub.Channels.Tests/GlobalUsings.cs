global using CrossBorderHub.Testing;
global using CrossBorderHub.Testing.Servers;
global using NUnit.Framework;
