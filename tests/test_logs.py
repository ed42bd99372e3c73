"""The log file: where it is, what it hides, and that uncaught errors reach it."""

from __future__ import annotations

import logging
import sys
import threading

import pytest

from desk_league import logs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("身份证号 11010519491231002X 重复", "身份证号 110105********002X 重复"),
        ("old 130503670401001 number", "old 130503*****1001 number"),
        ("[11010519491231002x]", "[110105********002x]"),
        ("phone 13812345678 stays", "phone 13812345678 stays"),
        ("a longer run 1101051949123100211 stays", "a longer run 1101051949123100211 stays"),
    ],
)
def test_ids_are_masked_in_text(text, expected):
    assert logs.mask_ids(text) == expected


def test_log_lives_in_the_data_folder_and_masks_ids(log_file, tmp_path):
    assert log_file == tmp_path / "logs" / "desk_league.log"
    logging.getLogger("desk_league.test").error("保存失败 11010519491231002X")
    text = log_file.read_text(encoding="utf-8")
    assert "110105********002X" in text
    assert "11010519491231002X" not in text


def test_uncaught_exception_in_a_thread_is_logged(log_file):
    def boom():
        raise RuntimeError("thread went wrong")

    thread = threading.Thread(target=boom, name="worker-7")
    thread.start()
    thread.join()
    text = log_file.read_text(encoding="utf-8")
    assert "worker-7" in text and "RuntimeError: thread went wrong" in text


@pytest.mark.qt_no_exception_capture  # pytest-qt would report the exception as the test's own
def test_uncaught_exception_on_the_main_thread_is_logged(log_file, capsys):
    try:
        raise ValueError("main went wrong")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    assert "ValueError: main went wrong" in log_file.read_text(encoding="utf-8")
