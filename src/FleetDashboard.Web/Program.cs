using FleetDashboard.Web.Actions;
using FleetDashboard.Web.Components.Account;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Devices;
using FleetDashboard.Web.Hosting;
using FleetDashboard.Web.Services;

var builder = WebApplication.CreateBuilder(args);
builder.AddFleetConfiguration()
    .AddFleetData()
    .AddFleetIdentity()
    .AddFleetServices()
    .AddFleetActions()
    .AddFleetDevices()
    .AddFleetWeb();

if (CreateAdminCommand.IsRequested(args))
{
    return await CreateAdminCommand.RunAsync(builder, args);
}

var app = builder.Build();
await app.PrepareDatabaseAsync();
await app.ForgetDeviceConnectionsAsync();
app.UseFleetWeb();
app.MapFleetDevices();
app.MapFleetHistoryExport();
await app.RunAsync();
return 0;

public partial class Program;
