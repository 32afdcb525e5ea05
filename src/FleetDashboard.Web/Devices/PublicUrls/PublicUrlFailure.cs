namespace FleetDashboard.Web.Devices.PublicUrls;

/// <summary>Why a public URL request got no answer from its device: the status and the sentence its page shows.</summary>
public sealed class PublicUrlFailure(int status, string title, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Title { get; } = title;

    public static PublicUrlFailure Offline() =>
        new(StatusCodes.Status503ServiceUnavailable, "Device offline",
            "The device is offline: it has no connection to the dashboard right now. Try again when it is back online.");

    public static PublicUrlFailure RequestTooLarge(int limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "Request too large", $"A public URL carries request bodies of at most {Size(limit)}.");

    public static PublicUrlFailure AnswerTooLarge(int limit) =>
        new(StatusCodes.Status502BadGateway, "Answer too large", $"The device answered with more than {Size(limit)}, the most a public URL carries.");

    public static PublicUrlFailure TimedOut(TimeSpan limit) =>
        new(StatusCodes.Status504GatewayTimeout, "Device too slow", $"The device did not answer within {limit.TotalSeconds:0} s.");

    public static PublicUrlFailure BadAnswer(string why) =>
        new(StatusCodes.Status502BadGateway, "No answer from the device", why);

    private static string Size(int bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024.0):0.#} MB" : $"{bytes / 1024.0:0.#} KB";
}
