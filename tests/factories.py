"""Test data, built with the product's own services where a service exists."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from members import services
from members.models import MemberProfile, TrainingTopic
from posts.models import Channel

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@police.example.gov")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save()

    @factory.post_generation
    def profile(obj, create, extracted, **kwargs):
        if create:
            MemberProfile.objects.get_or_create(user=obj, defaults={"badge_number": f"B{obj.pk:05d}"})


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Channel {n}")
    slug = factory.Sequence(lambda n: f"channel-{n}")
    kind = Channel.Kind.WEBSITE


def trained(user, *, by, days_ago: int = 30, valid_days: int = 365, topics=None):
    """Record current (or, with days_ago > valid_days, lapsed) 385.8 training through the service."""
    today = timezone.localdate()
    completed = today - timedelta(days=days_ago)
    services.record_training(
        actor=by,
        member=user,
        course="Social Media for Law Enforcement",
        topics=list(topics or TrainingTopic.values),
        completed_on=completed,
        expires_on=completed + timedelta(days=valid_days),
    )
    return user
