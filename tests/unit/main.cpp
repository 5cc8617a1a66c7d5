// SPDX-License-Identifier: MIT
#define BOOST_TEST_MODULE taxon unit tests
#include <boost/test/unit_test.hpp>
