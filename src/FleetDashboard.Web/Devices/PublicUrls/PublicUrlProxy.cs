using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace FleetDashboard.Web.Devices.PublicUrls;

/// <summary>
/// The public URL's door in the dashboard's pipeline: a request for a device's address is answered here, by the
/// device or by a page that says why not; nothing of the dashboard (sign-in, pages, antiforgery) runs for it.
/// A public URL is public: no sign-in, so the rules are the device's own settings, checked on every request.
/// </summary>
public sealed class PublicUrlProxy(DevicePublicUrls urls, IHttpForwarder forwarder, DeviceConnections connections,
    IDbContextFactory<FleetDbContext> dbs, DeviceConnectionHandler handler, DeviceTurns turns, IOptions<PublicUrlOptions> options,
    ILogger<PublicUrlProxy> logger)
{
    private readonly HttpMessageInvoker _invoker = new(handler, disposeHandler: false);

    /// <summary>
    /// Every request passes here, and only a device's public URL is served. The rest go on without this frame kept
    /// alive around them: a device's WebSocket request lives for days (a gcdump at 10,000 devices, docs/benchmarks.md).
    /// </summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next) =>
        urls.Match(context.Request) is { } target ? ServeAsync(context, target) : next(context);

    private async Task ServeAsync(HttpContext context, PublicUrlTarget target)
    {
        if (target.ViaPath && !target.Path.HasValue && Device.IsValidUuid(target.Uuid))
        {
            // Relative links on the device's page resolve under its own folder only with the slash.
            context.Response.Redirect(target.Prefix.Add("/").ToUriComponent() + context.Request.QueryString.ToUriComponent(), permanent: true, preserveMethod: true);
            return;
        }
        var device = Device.IsValidUuid(target.Uuid) ? await FindAsync(target.Uuid, context.RequestAborted) : null;
        if (device is null)
        {
            await PublicUrlPages.NotFoundAsync(context);
            return;
        }
        var limits = options.Value;
        if (!connections.IsConnected(device.Id))
        {
            await PublicUrlPages.FailedAsync(context, PublicUrlFailure.Offline());
            return;
        }
        if (context.Request.ContentLength > limits.MaxBodyBytes)
        {
            await PublicUrlPages.FailedAsync(context, PublicUrlFailure.RequestTooLarge(limits.MaxBodyBytes));
            return;
        }
        if (turns.TryJoin(device.Id, limits.MaxConcurrentPerDevice, limits.MaxConcurrent) is not { } queue)
        {
            await PublicUrlPages.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Device busy",
                "The device has as many requests waiting as the dashboard carries at once. Try again in a moment.");
            return;
        }
        try
        {
            // YARP's own timer is only a backstop: the handler's limit ends first, with a 504 that says so.
            var config = new ForwarderRequestConfig { ActivityTimeout = limits.Timeout + TimeSpan.FromSeconds(5) };
            var error = await forwarder.SendAsync(context, $"http://{device.Uuid}/", _invoker, config,
                new PublicUrlTransformer(target, device with { Turn = queue.Turn }));
            if (error != ForwarderError.None) await ExplainAsync(context, device, error);
        }
        finally
        {
            turns.Leave(device.Id, queue);
        }
    }

    /// <summary>A device whose public URL is on and allowed (SPEC: not in an Essentials application, not orphaned).</summary>
    private async Task<PublicUrlDevice?> FindAsync(string uuid, CancellationToken cancellationToken)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var found = await (from device in db.Devices
                           join application in db.Applications on device.ApplicationId equals application.Id
                           where device.Uuid == uuid && device.PublicUrlEnabled
                           select new { device.Id, application.Type })
            .FirstOrDefaultAsync(cancellationToken);
        return found is not null && found.Type.AllowsPublicUrls() ? new PublicUrlDevice(found.Id, uuid) : null;
    }

    private async Task ExplainAsync(HttpContext context, PublicUrlDevice device, ForwarderError error)
    {
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested) return;
        var exception = context.GetForwarderErrorFeature()?.Exception;
        var failure = Unwrap(exception) ?? (error == ForwarderError.RequestTimedOut
            ? PublicUrlFailure.TimedOut(options.Value.Timeout)
            : PublicUrlFailure.BadAnswer("The device could not be reached."));
        logger.LogInformation(exception, "Public URL of device {Device}: {Error}, answered {Status}.",
            device.Uuid, error, failure.Status);
        await PublicUrlPages.FailedAsync(context, failure);
    }

    private static PublicUrlFailure? Unwrap(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is PublicUrlFailure failure) return failure;
        return null;
    }

}
