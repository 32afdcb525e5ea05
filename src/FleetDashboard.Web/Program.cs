using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Api;
using FleetDashboard.Web.Cluster;
using FleetDashboard.Web.Components.Account;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Devices.PublicUrls;
using FleetDashboard.Web.Hosting;
using FleetDashboard.Web.Operations;
using FleetDashboard.Web.People;
using FleetDashboard.Web.Services;

var (hostArgs, allowRemoteDevelopment) = RemoteDevelopmentGuard.Read(args);
var builder = WebApplication.CreateBuilder(hostArgs);
builder.AddFleetConfiguration()
    .AddFleetData()
    .AddFleetIdentity()
    .AddFleetServices()
    .AddFleetActions()
    .AddFleetDevices()
    .AddFleetPublicUrls()
    .AddFleetWeb()
    .AddFleetSecurity()
    .AddFleetOperations()
    .AddFleetPeople()
    .AddFleetApi()
    .AddFleetCluster();

if (CreateAdminCommand.IsRequested(args))
{
    return await CreateAdminCommand.RunAsync(builder, hostArgs);
}

if (BackupCommand.IsRequested(args))
{
    return await BackupCommand.RunAsync(builder, hostArgs);
}

if (RemoteDevelopmentGuard.Refusal(builder, allowRemoteDevelopment) is { } refusal)
{
    await Console.Error.WriteLineAsync(refusal);
    return 1;
}

var app = builder.Build();
await app.PrepareDatabaseAsync();
await app.ForgetDeviceConnectionsAsync();
app.UseFleetWeb();
app.MapFleetDevices();
app.MapFleetHistoryExport();
app.MapFleetOperations();
app.MapFleetApi();
await app.RunAsync();
return 0;

public partial class Program;
