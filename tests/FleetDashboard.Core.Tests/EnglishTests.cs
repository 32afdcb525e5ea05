namespace FleetDashboard.Core.Tests;

/// <summary>Counts and articles are said one way everywhere.</summary>
public class EnglishTests
{
    [Theory]
    [InlineData(0, "device", "0 devices")]
    [InlineData(1, "device", "1 device")]
    [InlineData(21, "device", "21 devices")]
    [InlineData(10000, "device", "10,000 devices")]
    [InlineData(2, "entry", "2 entries")]
    [InlineData(2, "match", "2 matches")]
    [InlineData(1, "release", "1 release")]
    public void A_count_agrees_with_its_noun(int count, string noun, string said) => Assert.Equal(said, English.Count(count, noun));

    [Theory]
    [InlineData("Essentials", "an Essentials")]
    [InlineData("Starter", "a Starter")]
    [InlineData("Microservices", "a Microservices")]
    public void The_article_follows_the_first_sound(string word, string said) => Assert.Equal(said, English.A(word));
}
