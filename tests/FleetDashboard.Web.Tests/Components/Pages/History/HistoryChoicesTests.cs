using FleetDashboard.Web.Components.Pages.History;

namespace FleetDashboard.Web.Tests.Components.Pages.History;

public class HistoryChoicesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Blank_text_filters_nothing_and_typed_text_is_trimmed()
    {
        var filter = new HistoryChoices { Actor = "  ", Text = " reboot " }.ToFilter(Now);

        Assert.Null(filter.Actor);
        Assert.Equal("reboot", filter.Text);
        Assert.True(new HistoryChoices().ToFilter(Now).IsEmpty);
    }

    [Fact]
    public void A_period_starts_that_long_before_now()
    {
        var filter = new HistoryChoices { Period = HistoryPeriod.LastDay }.ToFilter(Now);

        Assert.Equal(Now.AddDays(-1), filter.From);
    }
}
