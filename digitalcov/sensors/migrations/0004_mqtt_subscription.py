# The MQTT topics clients listen on that the publisher cannot work out by itself (mqtt/subscriptions.py).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sensors", "0003_observation_index_covers_windows"),
    ]

    operations = [
        migrations.CreateModel(
            name="MqttSubscription",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("client_id", models.CharField(max_length=200)),
                (
                    "topic",
                    models.CharField(
                        help_text="Below the prefix, e.g. Observations(1)/Datastream.", max_length=1000
                    ),
                ),
                (
                    "persistent",
                    models.BooleanField(
                        default=True,
                        help_text="The client's session outlives its connection (MQTT clean session off).",
                    ),
                ),
                ("subscribed_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "indexes": [models.Index(fields=["topic"], name="mqtt_subscription_topic")],
                "constraints": [
                    models.UniqueConstraint(fields=("client_id", "topic"), name="one_row_per_subscription")
                ],
            },
        ),
    ]
