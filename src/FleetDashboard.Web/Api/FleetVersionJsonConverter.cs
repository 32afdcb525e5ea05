using System.Text.Json;
using System.Text.Json.Serialization;
using FleetDashboard.Core;
using FleetDashboard.Core.Devices;

namespace FleetDashboard.Web.Api;

/// <summary>A version as the text people write ("2.12.7"), in and out of the API.</summary>
public sealed class FleetVersionJsonConverter : JsonConverter<FleetVersion>
{
    public override FleetVersion Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try
        {
            return FleetVersion.Parse(reader.GetString());
        }
        catch (FleetDomainException e)
        {
            // A JsonException is what the API answers as a 400 with its message.
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, FleetVersion value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
