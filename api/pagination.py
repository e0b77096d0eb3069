"""Pages of the API: numbered pages for the small lists, a cursor for the big tables.

A cursor page costs the same at any depth (no OFFSET, no COUNT over the whole table), and a
sync tool following `next` never skips or repeats a row when rows are added meanwhile.
"""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class CursorPagination(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ProfileCursorPagination(CursorPagination):
    # Oldest change first: `?updated_since=` then following `next` reads every change once.
    ordering = ("updated_at", "id")


class EventCursorPagination(CursorPagination):
    ordering = ("at", "id")
