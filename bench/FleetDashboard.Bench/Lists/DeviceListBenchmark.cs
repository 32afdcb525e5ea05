using System.Data.Common;
using System.Diagnostics;
using FleetDashboard.Bench.Hosting;
using System.Security.Claims;
using FleetDashboard.Core.Applications;
using FleetDashboard.Core.Devices;
using FleetDashboard.Core.Organizations;
using FleetDashboard.Core.Selection;
using FleetDashboard.Web.Data;
using FleetDashboard.Web.Services;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FleetDashboard.Bench.Lists;

/// <summary>
/// B6: the first page (50 rows) of an application's device list over 100,000 devices in SQLite, filtered and sorted,
/// through <see cref="FleetQueries.DevicePageAsync"/> exactly as the page calls it (actor, access, count, rows, tags).
/// Ceiling: the same count, page and tags as hand-written SQL through Microsoft.Data.Sqlite on the same file.
/// With --store Postgres, the same again over PostgreSQL (a database of this run, <see cref="BenchStore"/>), its ceiling
/// the same statements in PostgreSQL's SQL through Npgsql (<see cref="ListSql"/>).
/// </summary>
public sealed class DeviceListBenchmark : IBenchmark
{
    internal const int FullSize = 100_000;
    private const double TargetP95Ms = 50;

    public IReadOnlyList<string> Ids { get; } = ["B6"];

    /// <summary>
    /// One view of the list: the request the page sends, and the same page as an SQL author would write it (SQLite's
    /// dialect; <paramref name="PostgresWhere"/> where PostgreSQL's differs, identifiers quoted by <see cref="ListSql"/>).
    /// </summary>
    internal sealed record View(string Name, DeviceListRequest Request, string Where, string OrderBy, string? PostgresWhere = null,
        string? Join = null, string? SqliteJoin = null);

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchOptions options, CancellationToken ct)
    {
        var path = Path.Combine(options.WorkDirectory, "b6-device-list.db");
        var figures = new List<Figure>(await RunOnAsync(ListSql.Sqlite(new SqliteConnectionStringBuilder { DataSource = path }.ToString()), options, ct));
        SqliteConnection.ClearAllPools();
        if (options.Postgres)
        {
            await using var store = await BenchStore.PostgresAsync(ct);
            figures.AddRange(await RunOnAsync(ListSql.Postgres(store.ConnectionString!), options, ct));
        }
        return figures;
    }

    private static async Task<IReadOnlyList<Figure>> RunOnAsync(ListSql sql, BenchOptions options, CancellationToken ct)
    {
        var size = options.ListRows ?? (options.Smoke ? options.Devices : FullSize);
        var iterations = options.Smoke ? 10 : 50;
        var connectionString = sql.ConnectionString;
        var now = DateTimeOffset.UtcNow;

        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        var timeline = Environment.GetEnvironmentVariable(Hosting.BenchServer.TimelineVariable);
        if (sql.IsPostgres)
        {
            // As the dashboard makes its contexts on PostgreSQL (its own context type and functions).
            services.AddFleetDbContexts(_ => (true, connectionString));
        }
        else
        {
            services.AddDbContextFactory<FleetDbContext>(o =>
            {
                o.UseFleetSqlite(connectionString);
                // The SQL each view sends, for EXPLAIN QUERY PLAN.
                if (timeline is not null) o.LogTo(line => File.AppendAllText(timeline, line + "\n"), [RelationalEventId.CommandExecuted]);
            });
        }
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<FleetQueries>();
        await using var provider = services.BuildServiceProvider();
        await DatabaseStartup.MigrateAsync(provider, ct);

        var seeding = Stopwatch.StartNew();
        var (user, applicationId) = await SeedAsync(provider.GetRequiredService<IDbContextFactory<FleetDbContext>>(), sql, size, now, ct);
        options.Say($"B6 ({sql.Kind}): seeded {size:N0} devices with tags in {seeding.Elapsed.TotalSeconds:0.0} s");

        var queries = provider.GetRequiredService<FleetQueries>();
        var views = Views(applicationId).Where(v => options.Views.Count == 0 || options.Views.Any(w => v.Name.Contains(w))).ToList();
        var figures = new List<Figure>();
        foreach (var view in views)
        {
            var page = await queries.DevicePageAsync(user, view.Request, ct)
                ?? throw new InvalidOperationException("B6: the bench user cannot see the application.");
            var ceilingRows = await HandWrittenAsync(sql, applicationId, view, now, ct);
            if (page.Total == 0 || page.Total != ceilingRows.Total || !page.Rows.Select(r => r.Id).SequenceEqual(ceilingRows.Ids))
                throw new InvalidOperationException($"B6 ({sql.Kind}) {view.Name}: the hand-written SQL lists another page " +
                    $"(total {ceilingRows.Total} vs {page.Total}).");

            var app = await TimeAsync(iterations, async () => await queries.DevicePageAsync(user, view.Request, ct));
            var bare = await TimeAsync(iterations, async () => await HandWrittenAsync(sql, applicationId, view, now, ct));
            var countOnly = await TimeAsync(Math.Min(iterations, 20), async () => await CountAsync(sql, applicationId, view, now, ct));
            options.Say($"B6 ({sql.Kind}) {view.Name}: total {page.Total:N0}, p50 {app.P50:0.0} ms, p95 {app.P95:0.0} ms; " +
                $"hand SQL p50 {bare.P50:0.0} ms, p95 {bare.P95:0.0} ms, of which the count p50 {countOnly.P50:0.0} ms; " +
                $"plan: {await PlanAsync(sql, applicationId, view, now, ct)}");
            figures.Add(new Figure("B6", $"device list page, {view.Name}{(sql.IsPostgres ? ", PostgreSQL" : "")}", $"p50 {app.P50:0.0} ms, p95 {app.P95:0.0} ms",
                $"p95 ≤ {TargetP95Ms:0} ms", app.P95 <= TargetP95Ms,
                $"hand SQL p50 {bare.P50:0.0} ms, p95 {bare.P95:0.0} ms (×{app.P95 / bare.P95:0.0})",
                $"{size:N0} devices, {page.Total:N0} listed, {app.Runs} runs")
            {
                Readings = [.. new[] { ("p50", app.P50, bare.P50, (double?)null), ("p95", app.P95, bare.P95, TargetP95Ms) }.Select(r =>
                    new Reading($"b6-{Slug(view.Name)}{(sql.IsPostgres ? "-postgres" : "")}", $"B6: device list page, {view.Name}{(sql.IsPostgres ? ", PostgreSQL" : "")}",
                        r.Item1, "time to the first page (ms)", r.Item2, r.Item3, "hand-written SQL", r.Item4, "devices in the application", Logarithmic: true))],
            });
        }
        return figures;
    }

    /// <summary>The "site" tag's rows of the application, each joined to its device (every bench device has one).</summary>
    private const string SiteTags = "JOIN DeviceTags t ON t.DeviceId = d.Id AND t.ApplicationId = @app AND t.Name = 'site'";

    /// <summary>
    /// SQLite's search index (migration DeviceSearch) read once for the devices whose column contains a one- or
    /// two-character text: any term of the column's vocabulary that begins with it.
    /// </summary>
    private static string Search(string column, string text) =>
        "JOIN (SELECT rowid AS Id FROM DeviceSearch WHERE DeviceSearch MATCH (SELECT '" + column + " : (' || group_concat('\"' || term || '\"', ' OR ') || ')' " +
        $"FROM DeviceSearchTerms WHERE col = '{column}' AND term >= '{text}' AND term < '{text}' || char(1114111)) LIMIT -1) m ON m.Id = d.Id";

    /// <summary>"tag site is north, by last seen desc" → "tag-site-is-north-by-last-seen-desc": a view's curve's file name.</summary>
    private static string Slug(string name) =>
        string.Join('-', name.ToLowerInvariant().Split([' ', ',', '.'], StringSplitOptions.RemoveEmptyEntries));

    private static IReadOnlyList<View> Views(int app)
    {
        DeviceListRequest Request(DeviceFilter[] filters, DeviceSort sort = DeviceSort.Name, bool descending = false, string? tag = null) =>
            new(app, filters, sort, descending, 0, 50, tag);
        return
        [
            new("no filter, by name", Request([]), "1", "d.Name, d.Id"),
            new("status Online, by name", Request([DeviceFilter.Create(DeviceColumn.Status, FilterOperator.Is, "Online")]),
                "d.DeactivatedAt IS NULL AND d.FirstConnectedAt IS NOT NULL AND (d.ConnectedAt IS NOT NULL OR d.HeartbeatExpiresAt > @now) AND d.Progress = 'Idle'",
                "d.Name, d.Id"),
            new("tag site is north, by last seen desc",
                Request([DeviceFilter.Create(DeviceColumn.Tag, FilterOperator.Is, "north", "site")], DeviceSort.LastSeen, descending: true),
                "lower(t.Value) = 'north'", "d.LastContactAt DESC, d.Id", Join: SiteTags),
            new("name contains 42, by status",
                Request([DeviceFilter.Create(DeviceColumn.Name, FilterOperator.Contains, "42")], DeviceSort.Status),
                "instr(lower(d.Name), '42') > 0",
                // DeviceStatus's order: post-provisioning, online, updating, configuring, offline, inactive.
                "CASE WHEN d.DeactivatedAt IS NOT NULL THEN 5 WHEN d.FirstConnectedAt IS NULL THEN 0 " +
                "WHEN d.ConnectedAt IS NOT NULL OR d.HeartbeatExpiresAt > @now THEN CASE d.Progress WHEN 'ApplyingRelease' THEN 2 " +
                "WHEN 'UpdatingHostOs' THEN 3 ELSE 1 END ELSE 4 END, d.Id", PostgresWhere: "strpos(lower(d.Name), '42') > 0",
                SqliteJoin: Search("Name", "42")),
            new("host OS before 2.13, by host OS",
                Request([DeviceFilter.Create(DeviceColumn.HostOs, FilterOperator.IsBefore, "2.13.0")], DeviceSort.HostOs),
                $"d.HostOsSortKey < '{FleetVersion.Parse("2.13.0").SortKey}'", "d.HostOsSortKey, d.Id"),
            new("no filter, by tag site", Request([], DeviceSort.Tag, tag: "site"), "1", "lower(t.Value), t.DeviceId", Join: SiteTags),
            new("IP matches regex, by name",
                Request([DeviceFilter.Create(DeviceColumn.IpAddress, FilterOperator.MatchesRegex, @"\.1[0-9]$")]),
                "d.IpAddresses GLOB '*.1[0-9]'", "d.Name, d.Id", PostgresWhere: @"d.IpAddresses ~* '\.1[0-9]$'",
                SqliteJoin: Search("IpAddresses", ".1")),
        ];
    }

    private sealed record BareResult(int Total, int Count, List<int> Ids);

    /// <summary>Count, page and the page's tags, as three plain statements on one connection (what EF sends, minus EF).</summary>
    private static async Task<BareResult> HandWrittenAsync(ListSql sql, int app, View view, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await sql.OpenAsync(ct);
        var total = await CountOnAsync(sql, connection, app, view, now, ct);

        await using var page = sql.Command(connection, app, now,
            $"SELECT d.Id, d.Uuid, d.Name, d.DeviceType, d.HostOsVersion, d.AgentVersion, d.ReleaseCommit, " +
            $"d.LastContactAt, d.IpAddresses, d.PublicUrlEnabled, d.ConnectedAt, d.DeactivatedAt, d.FirstConnectedAt, d.Progress " +
            $"FROM {sql.From(view)} WHERE {sql.OfApplication(view)} AND {sql.Where(view)} ORDER BY {view.OrderBy} LIMIT 50");
        var ids = new List<int>(50);
        var cells = 0L;
        await using (var reader = await page.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetInt32(0));
                for (var i = 1; i < reader.FieldCount; i++) if (!reader.IsDBNull(i)) cells += reader.GetValue(i) is string s ? s.Length : 1;
            }
        if (ids.Count > 0)
        {
            await using var tags = sql.Command(connection, app, now, $"SELECT t.DeviceId, t.Name, t.Value FROM DeviceTags t WHERE t.DeviceId IN ({string.Join(",", ids)})");
            await using var reader = await tags.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) cells += reader.GetString(1).Length;
        }
        return new BareResult(total, ids.Count, ids);
    }

    private static async Task<int> CountAsync(ListSql sql, int app, View view, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await sql.OpenAsync(ct);
        return await CountOnAsync(sql, connection, app, view, now, ct);
    }

    private static async Task<int> CountOnAsync(ListSql sql, DbConnection connection, int app, View view, DateTimeOffset now, CancellationToken ct)
    {
        await using var count = sql.Command(connection, app, now, $"SELECT COUNT(*) FROM {sql.From(view)} WHERE {sql.OfApplication(view)} AND {sql.Where(view)}");
        return Convert.ToInt32(await count.ExecuteScalarAsync(ct));
    }

    /// <summary>The store's plan for the hand-written count and page, one line: where an index is used, where a sort is.</summary>
    private static async Task<string> PlanAsync(ListSql sql, int app, View view, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await sql.OpenAsync(ct);
        var parts = new List<string>();
        foreach (var statement in new[]
                 {
                     $"SELECT COUNT(*) FROM {sql.From(view)} WHERE {sql.OfApplication(view)} AND {sql.Where(view)}",
                     $"SELECT d.Id FROM {sql.From(view)} WHERE {sql.OfApplication(view)} AND {sql.Where(view)} ORDER BY {view.OrderBy} LIMIT 50",
                 })
            parts.Add(await sql.PlanAsync(connection, app, now, statement, ct));
        return $"count [{parts[0]}]; page [{parts[1]}]";
    }

    /// <summary>
    /// p50 and p95 of <paramref name="iterations"/> timed calls after 5 warm-up ones, cut short after 15 s once 20
    /// are in: a view that takes seconds a call is far over its target at 20 samples, and the whole run must fit
    /// in 10 minutes. At 1,000,000 rows (the curves) a view may take 10 s a call: there the warm-up stops after 5 s
    /// and the samples after 30 s once 5 are in (p95 of 5 is their slowest).
    /// </summary>
    private static async Task<(double P50, double P95, int Runs)> TimeAsync(int iterations, Func<Task> run)
    {
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < 5 && (i == 0 || warming.Elapsed < TimeSpan.FromSeconds(5)); i++)
            await run(); // warm-up: JIT, EF's query cache, the page cache of SQLite
        var times = new LatencyHistogram();
        var budget = Stopwatch.StartNew();
        while (times.Count < iterations && (times.Count < 20 || budget.Elapsed < TimeSpan.FromSeconds(15))
               && (times.Count < 5 || budget.Elapsed < TimeSpan.FromSeconds(30)))
        {
            var start = Stopwatch.GetTimestamp();
            await run();
            times.Record(Stopwatch.GetElapsedTime(start));
        }
        return (times.Percentile(50), times.Percentile(95), (int)times.Count);
    }

    /// <summary>
    /// An organization, its administrator and one application, through EF; then <paramref name="size"/> devices
    /// copied in SQL from one device EF wrote (so every column holds what EF would write), varied by number, and tags.
    /// </summary>
    private static async Task<(ClaimsPrincipal User, int ApplicationId)> SeedAsync(IDbContextFactory<FleetDbContext> dbs,
        ListSql sql, int size, DateTimeOffset now, CancellationToken ct)
    {
        var user = new FleetUser("bench@example.test") { NormalizedEmail = "BENCH@EXAMPLE.TEST" };
        var organization = new Organization { Name = "Bench", Plan = OrganizationPlan.Paid, BillingAccountValid = true };
        Device template;
        Application application;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            db.Users.Add(user);
            db.Organizations.Add(organization);
            await db.SaveChangesAsync(ct);
            db.OrganizationMembers.Add(new OrganizationMember
                { OrganizationId = organization.Id, UserId = user.Id, Role = OrganizationRole.Administrator });
            application = new Application
            {
                OrganizationId = organization.Id, Name = "fleet", Type = ApplicationType.Microservices,
                DefaultDeviceType = "raspberrypi4-64", CreatedAt = now.AddDays(-100),
            };
            db.Applications.Add(application);
            await db.SaveChangesAsync(ct);
            template = new Device
            {
                Uuid = Device.NewUuid(), Name = "template", DeviceType = "raspberrypi4-64", ApplicationId = application.Id,
                HostOsVersion = new FleetVersion(2, 13, 1), AgentVersion = new FleetVersion(1, 4, 2),
                ProvisionedAt = now.AddDays(-30), FirstConnectedAt = now.AddDays(-30), LastContactAt = now,
            };
            db.Devices.Add(template);
            await db.SaveChangesAsync(ct);
        }

        await using (var connection = await sql.OpenAsync(ct))
        {
            if (connection is SqliteConnection sqlite) await DeviceRows.CopyAsync(sqlite, template.Id, size, now, "device", keepTemplate: false, ct);
            else await PostgresDeviceRows.CopyAsync((NpgsqlConnection)connection, template.Id, size, now, "device", ct);
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.Email!)], "bench"));
        return (principal, application.Id);
    }
}
